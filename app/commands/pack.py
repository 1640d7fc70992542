"""`pack …` sub-commands: signed catalog packs (keygen, build, verify, import, list, remove, trust, untrust).

Exit codes: 0 done; 1 `verify` of an intact pack that is unsigned or signed by a key you do not
trust (import would need --trust); 2 a refused pack or key (the message names the file, the fault
and what to do; nothing was changed).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.common import built, err, out


def _say_summary(verb: str, s: object) -> None:
    from app.catalog.packs import PackSummary

    assert isinstance(s, PackSummary)
    out(f"{verb} {s.name}: {s.publisher}, edition {s.edition}, {len(s.entries)} entr{'y' if len(s.entries) == 1 else 'ies'}"
        + (f", key {s.key_id}" if s.key_id else ", unsigned"))
    for w in s.warnings:
        err(f"warning: {w}")


def cmd_keygen(args: argparse.Namespace) -> int:
    from app.catalog.packfile import generate_key

    kid, public = generate_key(Path(args.out))
    out(f"private key: {args.out}  (keep it secret; never put it in a pack or send it)")
    out(f"public key:  {args.out}.pub")
    out(f"key id:      {kid}")
    out(f"public key (give this to the offices that import your packs: machi-navi pack trust …):\n{public}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from app.catalog.packs import build_pack

    s = build_pack(args.dir, args.key, args.publisher, args.edition, args.out, name=args.name, date=args.date)
    _say_summary("built", s)
    out(f"wrote {s.path}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from app.catalog.packfile import read_pack
    from app.catalog.packs import trusted_key_for

    pf = read_pack(Path(args.file))
    man = pf.manifest
    out(f"{pf.path.name}: pack {pf.name}, publisher {pf.publisher}, edition {man['edition']}, date {man['date']}, "
        f"{len(pf.files)} entries; every entry matches its SHA-256")
    if not pf.signed:
        out("NOT SIGNED: import needs --trust (署名がありません)")
        return 1
    out(f"signature: valid (Ed25519, key {pf.key_id})")
    if trusted_key_for(pf.key_id, pf.public_key) is None:
        out(f"key {pf.key_id} is NOT among your trusted keys (信頼する鍵ではありません): "
            f"check it with the publisher, then `machi-navi pack trust {pf.public_key}`")
        return 1
    out(f"key {pf.key_id} is trusted (信頼する鍵)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.catalog.packs import PackRejected, import_pack

    try:
        s = import_pack(Path(args.file), trust=args.trust)
    except PackRejected as exc:
        for p in exc.problems:
            err(p)
        err("nothing was imported (取り込みは行われませんでした)")
        return 2
    _say_summary("imported", s)
    if s.trust == "confirmed":
        err("warning: imported on your confirmation (--trust); the publisher name is not verified by a trusted key")
    if s.replaced_edition:
        out(f"replaced edition {s.replaced_edition}")
    built(with_index=True)
    out("catalog rebuilt")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.catalog.packstore import damaged_packs, installed_packs

    packs = installed_packs()
    for p in packs:
        out(f"{p.name}\t{p.publisher}\tedition {p.edition}\t{p.date}\t{len(p.entry_ids)} entries\t"
            f"key {p.key_id or '-'}\t{'trusted key' if p.verified else 'confirmed by you (--trust)'}")
    for d in damaged_packs():
        err(f"{d}: damaged pack record, left out of the catalog (machi-navi pack remove {d.name}, then import it again)")
    if not packs:
        out("パックはありません (no packs installed)")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from app.catalog.packs import remove_pack

    pack = remove_pack(args.name)
    built(with_index=True)
    out(f"removed {pack.name} ({len(pack.entry_ids)} entries); catalog rebuilt. Plans keep those entries, shown as missing")
    return 0


def cmd_trust(args: argparse.Namespace) -> int:
    from app.catalog.packs import trust_key
    from app.catalog.packstore import trusted_keys

    if args.list or not args.key:
        keys = trusted_keys()
        for k in keys:
            out(f"{k.key_id}\t{k.label}\t{k.added}\t{k.public_key}")
        if not keys:
            out("信頼する鍵はありません (no trusted keys)")
        return 0
    k = trust_key(args.key, args.label or "")
    out(f"trusted key {k.key_id}" + (f" ({k.label})" if k.label else ""))
    return 0


def cmd_untrust(args: argparse.Namespace) -> int:
    from app.catalog.packs import untrust_key

    k = untrust_key(args.key)
    out(f"no longer trusted: key {k.key_id}" + (f" ({k.label})" if k.label else "") + "; installed packs stay")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pack = sub.add_parser("pack", help="signed catalog packs: publish local entries to other offices, import them")
    ps = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    p = ps.add_parser("keygen", help="make an Ed25519 signing key (private key file + .pub)")
    p.add_argument("--out", required=True, help="private key file to write (never overwritten)")
    p.set_defaults(func=cmd_keygen)
    p = ps.add_parser("build", help="validate a folder of entry files (.md) and write a signed pack")
    p.add_argument("dir")
    p.add_argument("--key", required=True, help="private key file (pack keygen)")
    p.add_argument("--publisher", required=True, help="publisher name shown on every entry (e.g. 〇〇県DX推進課)")
    p.add_argument("--edition", required=True, help="edition of this pack (e.g. 2026.1)")
    p.add_argument("--out", required=True, help="pack file to write (.zip)")
    p.add_argument("--name", help="pack name, the same for every edition (a-z, 0-9, '-'; default: the folder's name)")
    p.add_argument("--date", help="date of the edition, YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_build)
    p = ps.add_parser("verify", help="check a pack's structure, hashes and signature (changes nothing)")
    p.add_argument("file")
    p.set_defaults(func=cmd_verify)
    p = ps.add_parser("import", help="install a pack (signed by a trusted key, or confirmed with --trust)")
    p.add_argument("file")
    p.add_argument("--trust", action="store_true", help="import although unsigned or signed by a key you have not trusted")
    p.set_defaults(func=cmd_import)
    p = ps.add_parser("list", help="installed packs")
    p.set_defaults(func=cmd_list)
    p = ps.add_parser("remove", help="remove an installed pack and exactly its entries")
    p.add_argument("name")
    p.set_defaults(func=cmd_remove)
    p = ps.add_parser("trust", help="trust a publisher key (KEYFILE.pub or the public key text); --list")
    p.add_argument("key", nargs="?")
    p.add_argument("--label", help="who the key belongs to (for your list)")
    p.add_argument("--list", action="store_true", help="list trusted keys")
    p.set_defaults(func=cmd_trust)
    p = ps.add_parser("untrust", help="stop trusting a key (key id, public key or .pub file)")
    p.add_argument("key")
    p.set_defaults(func=cmd_untrust)
