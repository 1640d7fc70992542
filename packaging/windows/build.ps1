<#
.SYNOPSIS
  Build the Machi Navi Windows bundle (dist\MachiNavi) and installer.
  This file is kept ASCII-only: Windows PowerShell 5.1 reads BOM-less scripts in the ANSI code page.

.DESCRIPTION
  On a Windows machine with Python 3.11+ and NSIS 3 (makensis):
    1. a virtual environment (.venv-package) with the app and PyInstaller  (pip install -e .[package])
    2. catalog.db + search index pre-built into build\prebuilt              (python packaging\prebuild.py)
    3. the one-folder bundle dist\MachiNavi\                                (pyinstaller build.spec)
    4. a smoke check of the bundle                                          (machi-navi.exe --version / build)
    5. the installer dist\MachiNavi-<version>-setup.exe                     (makensis installer.nsi)

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
.EXAMPLE
  .\packaging\windows\build.ps1 -Python "C:\Python312\python.exe" -SkipInstaller
#>
[CmdletBinding()]
param(
    [string]$Python = "",          # default: py -3 (the Python launcher), else python on PATH
    [string]$Venv = ".venv-package",
    [switch]$SkipInstaller,
    [switch]$Clean
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

function Invoke-Checked {
    # A simple function (no param block), so arguments such as -m reach the program unchanged.
    $Exe = $args[0]
    $Rest = @($args | Select-Object -Skip 1)
    Write-Host "> $Exe $($Rest -join ' ')" -ForegroundColor Cyan
    & $Exe @Rest
    if ($LASTEXITCODE -ne 0) { throw "$Exe failed with exit code $LASTEXITCODE" }
}

# --- Python 3.11+ --------------------------------------------------------------------------------
if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) { $Python = (& py -3 -c "import sys; print(sys.executable)") }
    elseif (Get-Command python -ErrorAction SilentlyContinue) { $Python = (Get-Command python).Source }
    else { throw "Python 3.11+ not found: install it from python.org or pass -Python C:\path\to\python.exe" }
}
& $Python -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"
if ($LASTEXITCODE -ne 0) { throw "$Python is older than 3.11" }

# --- 1. virtual environment -----------------------------------------------------------------------
if ($Clean -and (Test-Path $Venv)) { Remove-Item -Recurse -Force $Venv }
if (-not (Test-Path "$Venv\Scripts\python.exe")) { Invoke-Checked $Python -m venv $Venv }
$Py = Join-Path $Root "$Venv\Scripts\python.exe"
Invoke-Checked $Py -m pip install --disable-pip-version-check -q --upgrade pip -c constraints.txt
# constraints.txt: the same pinned versions as the Linux venv and the Wine build (./dev windows)
Invoke-Checked $Py -m pip install --disable-pip-version-check -q -c constraints.txt -e ".[package]"
$Version = (& $Py -c "import app; print(app.__version__)").Trim()
$Nums = @([regex]::Matches($Version, "\d+") | Select-Object -First 4 | ForEach-Object { $_.Value })
while ($Nums.Count -lt 4) { $Nums += "0" }
$VersionQuad = $Nums -join "."
Write-Host "Machi Navi $Version ($VersionQuad)" -ForegroundColor Green

# --- 2. pre-built catalog.db + index ----------------------------------------------------------------
Invoke-Checked $Py packaging\prebuild.py --out build\prebuilt

# --- 3. bundle -------------------------------------------------------------------------------------
$PyInstallerArgs = @("-m", "PyInstaller", "build.spec", "--noconfirm", "--distpath", "dist", "--workpath", "build\pyinstaller")
if ($Clean) { $PyInstallerArgs += "--clean" }
Invoke-Checked $Py @PyInstallerArgs
$Bundle = Join-Path $Root "dist\MachiNavi"

# --- 4. smoke check (a scratch user dir, so the developer's own plans are untouched) ----------------
$Scratch = Join-Path ([IO.Path]::GetTempPath()) ("machi-navi-smoke-" + [guid]::NewGuid())
$env:MACHI_NAVI_HOME = $Scratch
try {
    Invoke-Checked "$Bundle\machi-navi.exe" --version
    Invoke-Checked "$Bundle\machi-navi.exe" build
    Invoke-Checked "$Bundle\machi-navi.exe" search "MaaS" --limit 3
} finally {
    Remove-Item Env:\MACHI_NAVI_HOME
    Remove-Item -Recurse -Force $Scratch -ErrorAction SilentlyContinue
}

# --- 5. installer ----------------------------------------------------------------------------------
if (-not $SkipInstaller) {
    $Makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
    if (-not $Makensis) {
        foreach ($dir in @(${env:ProgramFiles(x86)}, $env:ProgramFiles)) {
            if ($dir -and (Test-Path "$dir\NSIS\makensis.exe")) { $Makensis = "$dir\NSIS\makensis.exe"; break }
        }
    }
    if (-not $Makensis) { throw "makensis not found: install NSIS 3 (winget install NSIS.NSIS) or use -SkipInstaller" }
    Invoke-Checked $Makensis -WX "/DVERSION=$Version" "/DVERSION_QUAD=$VersionQuad" "/DDIST_DIR=$Bundle" "/DOUT_DIR=$Root\dist" packaging\windows\installer.nsi
    Write-Host "Installer: dist\MachiNavi-$Version-setup.exe" -ForegroundColor Green
}
Write-Host "Bundle: $Bundle" -ForegroundColor Green
