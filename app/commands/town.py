"""`machi-navi town NAME [--json]`: what the catalog records for one municipality (app/catalog/towns.py).

Registered by app.commands.main (COMMAND_MODULES).
"""

from __future__ import annotations

import argparse
import json

from app.commands.common import out


def render_town(p: object) -> str:
    from app.catalog.towns import TownProfile

    assert isinstance(p, TownProfile)
    if not p.known:
        lines = [f"{p.query}: カタログにこの自治体の導入事例はありません / the catalog records nothing for this municipality"]
        if p.candidates:
            lines.append("候補 / did you mean: " + "、".join(p.candidates))
        if p.prefecture_services:
            lines.append(f"{p.prefecture}内の他の自治体で使われている項目 / used elsewhere in {p.prefecture}:")
            lines += [f"  {s.id:32} {s.name}（{s.provider}）" for s in p.prefecture_services]
        return "\n".join(lines)
    lines = [f"{p.name}  {len(p.services)} 件 / services"]
    lines.append("[分野 / field]")
    for f, ids in p.by_field.items():
        lines.append(f"  {f}")
        lines += [f"    {p.service(i).name}（{p.service(i).provider}）  {i}" for i in ids]  # type: ignore[union-attr]
    lines.append("[SCRA機能群 / function group]")
    for g, ids in p.by_group.items():
        lines.append(f"  {g}: " + "、".join(p.service(i).name for i in ids))  # type: ignore[union-attr]
    lines.append("[出典 / sources]")
    for s in p.services:
        for src in s.sources:
            lines.append(f"  {s.id:32} {src.url}")
    return "\n".join(lines)


def cmd_town(args: argparse.Namespace) -> int:
    from app.build import ensure_built
    from app.catalog.store import open_catalog
    from app.catalog.towns import town_profile

    res = ensure_built(with_index=False)
    with open_catalog(res.db_path) as db:
        prof = town_profile(db, args.name)
    if args.json:
        out(json.dumps(prof.to_json(), ensure_ascii=False, indent=2))
    else:
        out(render_town(prof))
    return 0 if prof.known else 1


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("town", help="what one municipality uses, by field and SCRA function group, with sources",
                              description="例: machi-navi town 茅野市 --json")
    p.add_argument("name", help="municipality, e.g. 長野県茅野市 or 茅野市")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_town)
