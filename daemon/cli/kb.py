"""`postdesk kb search | check`: the knowledge base searched as the acknowledgment searches it."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from postdesk.daemon.cli.common import config_of, fail


@click.group("kb")
def kb_grp() -> None:
    """The knowledge base: search it as the acknowledgment does, check the articles."""


def _knowledge(ctx: click.Context) -> Any:
    from postdesk.daemon.knowledge import load_articles

    c = config_of(ctx)
    if c.knowledge_dir is None:
        fail("no knowledge base: set [knowledge] dir in the config")
    return c, load_articles(c.knowledge_dir)


@kb_grp.command("search")
@click.argument("text")
@click.option("--lang", type=click.Choice(["ru", "en"]), help="The requester's language (default: guessed).")
@click.option("--queue", help="The ticket's queue (its articles get a boost).")
@click.option("--limit", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def kb_search(ctx: click.Context, text: str, lang: str | None, queue: str | None, limit: int, as_json: bool) -> None:
    """Ranked articles for TEXT with their scores; those above the line would be suggested."""
    from postdesk.parsers.language import detect_language
    from postdesk.routing.knowledge import DEFAULT_THRESHOLD, KnowledgeIndex

    _, (articles, _) = _knowledge(ctx)
    index = KnowledgeIndex.build(articles)
    lang = lang or detect_language(text)
    found = index.search(text, lang=lang, queue=queue, limit=limit, threshold=0.0)
    if as_json:
        click.echo(json.dumps([{"slug": f.article.slug, "title": f.article.title, "lang": f.article.lang,
                                "score": round(f.score, 4), "suggested": f.score >= DEFAULT_THRESHOLD}
                               for f in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no article matches")
    for f in found:
        mark = "*" if f.score >= DEFAULT_THRESHOLD else " "
        click.echo(f"{mark} {f.score:6.3f}  {f.article.slug:<36} [{f.article.lang}] {f.article.title}")
    click.echo(f"(* = suggested in an acknowledgment: score >= {DEFAULT_THRESHOLD}; {len(index)} articles, "
               f"language {lang})")


@kb_grp.command("check")
@click.pass_context
def kb_check(ctx: click.Context) -> None:
    """Validate the front matter of every article; exit 1 when any is wrong."""
    c, (articles, problems) = _knowledge(ctx)
    for p in problems:
        click.echo(f"{c.knowledge_dir}/{p}", err=True)
    click.echo(f"{len(articles)} articles OK in {c.knowledge_dir}" + (f", {len(problems)} problem(s)" if problems
                                                                       else ""))
    sys.exit(1 if problems else 0)

