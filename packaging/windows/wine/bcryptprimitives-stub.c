/* Test-only stand-in for Windows' system bcryptprimitives.dll (Windows 8+; absent from Wine 8).
   Rust's standard library (since 1.78) imports ProcessPrng from it, so the nh3 wheel's .pyd does not
   load under Wine 8 without it. Same contract: fill the buffer with random bytes, always TRUE.
   Built by packaging/windows/wine.py into the prefix's system32; never shipped (real Windows has it). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
