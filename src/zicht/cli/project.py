"""The project and its upkeep: init, import, export, backup, restore, purge, key rotate, user add, serve."""

from __future__ import annotations

import errno
import gc
import getpass
import os
import signal
import socket
from pathlib import Path

import click

from zicht.cli.console import console, err, progress
from zicht.cli.group import main
from zicht.cli.options import BY, PROJECT, OutputFile
from zicht.errors import AccountRefused, ZichtError
from zicht.pipeline import exchanging, upkeep
from zicht.pipeline.imports import import_files
from zicht.pipeline.project import DEFAULT_CODEBOOK, Project


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--codebook", default=DEFAULT_CODEBOOK, show_default=True, help="The codebook the project codes and counts by.")
def init(directory: Path, codebook: str) -> None:
    """Create a project in DIRECTORY: a SQLite database (or DATABASE_URL), a secret key, its codebook."""
    project = Project.init(directory, codebook)
    console.print(f"Created project {directory}, coded by {project.codebook.id} (keep {directory}/secret.key private).")


@main.command("import")
@PROJECT
@click.option("--chats", "chat_files", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Chat export(s): .jsonl, .csv (a message per row) or .txt transcripts.")  # fmt: skip
@click.option("--coded", "coded_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Coded cases: .csv (codebook ids as columns) or SPSS .sav.")  # fmt: skip
@click.option("--codebook", "codebook_id", help="Codebook of the coded file, if not the project's (e.g. nl-2019 for last year's).")
@click.option("--skip-bad", is_flag=True, help="Store the good records; write bad ones to FILE.rejects.csv.")
@click.option("--columns", "columns_map", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A YAML file naming the coded file's own columns as the codebook's (geslacht: victim_gender).")  # fmt: skip
def import_(directory: Path, chat_files: tuple[Path, ...], coded_file: Path | None, codebook_id: str | None, skip_bad: bool,
            columns_map: Path | None) -> None:  # fmt: skip
    """Import files into the project. Each file is all or nothing unless --skip-bad.

    A coded file may be comma- or semicolon-separated (as Dutch Excel saves it). With --skip-bad,
    the bad rows go to FILE.rejects.csv; import the corrected file afterwards, and the rows the
    project already holds as they are stay as they are.
    """
    if not chat_files and not coded_file:
        raise click.UsageError("give --chats FILE... and/or --coded FILE")
    if columns_map and not coded_file:
        raise click.UsageError("--columns names the columns of a --coded FILE")
    project = Project.open(directory)
    with progress() as bar:
        results = import_files(project, chat_files, coded_file, project.codebook_or(codebook_id), skip_bad, bar, columns_map)
        for path, result in results:
            if result.already_imported:
                console.print(f"{path}: already imported, nothing to do.")
                continue
            console.print(f"{path}: stored {result.stored} record(s).")
            if result.unchanged:
                console.print(f"{path}: {result.unchanged} coded case(s) the project already holds exactly so (left as they are).")
            if (followed := result.cases_followed).closed:
                console.print(f"{followed.closed} case(s) zicht had opened, not coded yet, now belong to the coded visitors of this "
                              f"file and are closed; {followed.opened} opened for visitors it leaves without one.")  # fmt: skip
            if result.rejected:
                err.print(f"{path}: {len(result.rejected)} bad record(s) written to {result.rejects_file}")


@main.command()
@PROJECT
@click.option("--coded", type=OutputFile(), help="The coded cases, one row per unique visitor: FILE.csv or FILE.sav (SPSS, with labels).")
@click.option("--qdpx", type=OutputFile(), help="The coded cases with their chats, codes, evidence and overleg for a QDA tool "
              "(REFI-QDA: ATLAS.ti, MAXQDA, NVivo, QualCoder), redacted as --by's role sees them.")  # fmt: skip
@click.option("--qdc", type=OutputFile(), help="The codebook alone as a REFI-QDA codebook (.qdc).")
@click.option("--htcds", type=OutputFile(), help="The year's cases in the Human Trafficking Case Data Standard's fields, for partners "
              "(CSV): how many cases give each value, small counts hidden as in a public report (needs --year).")  # fmt: skip
@click.option("--case-level", is_flag=True, help="With --htcds: each case's values instead of the counts (the coordinator only).")
@click.option("--threshold", type=click.IntRange(min=2), default=5, show_default=True, help="With --htcds: counts below this are hidden.")
@click.option("--codebook", "codebook_id", help="Codebook to write by, if not the project's own.")
@click.option("--year", type=int, help="Only visitors whose first chat is in this year.")
@click.option("--by", default=lambda: getpass.getuser(), show_default="your user name",
              help="The account whose role --qdpx is redacted for (no such account: as a researcher sees it), "
                   "and who asks for --case-level.")  # fmt: skip
def export(directory: Path, coded: Path | None, qdpx: Path | None, qdc: Path | None, htcds: Path | None, case_level: bool,
           threshold: int, codebook_id: str | None, year: int | None, by: str) -> None:  # fmt: skip
    """Export the coded cases (--coded), the project for a QDA tool (--qdpx), the codebook (--qdc) or case data for partners (--htcds)."""
    if sum(x is not None for x in (coded, qdpx, qdc, htcds)) != 1:
        raise click.UsageError("give one of --coded FILE, --qdpx FILE, --qdc FILE or --htcds FILE")
    if htcds is not None and year is None:
        raise click.UsageError("--htcds needs --year: the standard's counts are a year's")
    project = Project.open(directory)
    book = project.codebook_or(codebook_id)
    if coded is not None:
        n = upkeep.export_coded(project, coded, book, year)
        console.print(f"Wrote {n} visitor(s) to {coded}.")
    elif qdpx is not None:
        with progress() as bar:
            done = exchanging.export_qdpx(project, qdpx, book, year, by, bar)
        hidden = "" if done.role.sees_identifiers else " (names and places redacted)"
        console.print(f"Wrote {done.cases} case(s), {done.chats} chat(s), {done.codings} coding(s) and {done.notes} overleg comment(s) "
                      f"to {qdpx}, as a {done.role.id} sees them{hidden}.")  # fmt: skip
        if done.suggested < done.cases:
            console.print(f"{done.cases - done.suggested} case(s) have no stored suggestions, so their codes mark no words: a code's words "
                          f"come from its suggestion (zicht suggest run {directory} --year YEAR).")  # fmt: skip
    elif qdc is not None:
        n = exchanging.export_qdc(book, qdc)
        console.print(f"Wrote codebook {book.id} ({n} codes) to {qdc}.")
    elif htcds is not None and year is not None:
        data = exchanging.export_htcds(project, htcds, book, year, by, case_level, threshold)
        what = f"{data.rows} case(s), one row each" if data.case_level else f"{data.rows} counts ({data.hidden} hidden: below {threshold})"
        console.print(f"Wrote {what} to {htcds}.")
        console.print(f"HTCDS fields the codebook cannot fill ({len(data.unmapped)}):")
        for field in data.unmapped:
            console.print(f"  {field.name}: {field.why}")


@main.command("backup")
@PROJECT
@click.option("--out", required=True, type=OutputFile(), help="The backup file to write.")
def backup_(directory: Path, out: Path) -> None:
    """An encrypted, consistent snapshot of the project's database, also while the workbench runs.

    It is encrypted with a key derived from PROJECT/secret.key: keep that file apart from the
    backups. `zicht restore` brings a backup back into a project with the same secret.key.
    """
    size = upkeep.backup(directory, out)
    console.print(f"Backup of {directory} → {out} ({size / 1e6:.1f} MB, encrypted; restore needs {directory / 'secret.key'}).")


@main.command()
@click.argument("backup_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@PROJECT
def restore(backup_file: Path, directory: Path) -> None:
    """Bring BACKUP_FILE back as PROJECT's database (stop the workbench first).

    PROJECT must hold the secret.key the backup was made with. The database it replaces is
    kept beside it (zicht.sqlite3.before-restore-...); a damaged or foreign backup restores nothing.
    """
    kept = upkeep.restore(backup_file, directory)
    console.print(f"Restored {backup_file} into {directory}." + (f" The previous database is kept as {kept}." if kept else ""))


@main.command()
@PROJECT
@click.option("--year", type=int, required=True, help="The year whose raw chat text goes (its report must be final).")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@BY
def purge(directory: Path, year: int, dry_run: bool, yes: bool, by: str) -> None:
    """Remove the raw chat text of a year whose report is final, by the project's retention policy.

    The codes, the redacted evidence of each suggestion, the times of the messages and the audit
    trail stay; the year's report renders as before. Chats of cases not coded yet stay whole.
    The policy (days to wait after the report is final) is PROJECT/retention.yaml. Backups made
    before still hold the text: delete them on the same schedule.
    """
    plan = upkeep.purge_plan(Project.open(directory), year)
    console.print(f"{year}: the raw text of {len(plan.chats)} chats goes; {plan.kept_back} chats of cases not coded yet stay whole.")
    if dry_run or not plan.chats:
        return
    if not yes:
        click.confirm("Remove it? This cannot be undone (except from a backup)", abort=True)
    emptied = upkeep.purge(plan, by)
    console.print(f"Purged: {emptied} messages of {len(plan.chats)} chats. The purge is in the audit trail.")


@main.group()
def key() -> None:
    """The text key that seals chat text in the database (PROJECT/text.key)."""


@key.command("rotate")
@PROJECT
def key_rotate(directory: Path) -> None:
    """Seal all chat text again under a new key and forget the old one.

    The workbench may keep running: rows are re-sealed in short transactions, and while that
    runs the key file holds the old and the new key, which readers follow. Backups made before
    carry the keys they need.
    """
    project = Project.open(directory)
    with progress() as bar:
        new, rows = upkeep.rotate_key(project, bar)
    console.print(f"{rows} texts sealed again with key {new}; {upkeep.key_file(project)} holds only that key now.")


@main.group()
def user() -> None:
    """The workbench's accounts: coordinator, researcher or reader."""


@user.command("add")
@PROJECT
@click.argument("name")
@click.option("--role", type=click.Choice(upkeep.ROLE_IDS), required=True)
@click.option("--password-env", metavar="VAR",
              help="Read the password from this environment variable (for scripts); otherwise it is asked twice, unseen.")  # fmt: skip
def user_add(directory: Path, name: str, role: str, password_env: str | None) -> None:
    """Add an account; the first one is the coordinator, who adds the others in the workbench."""
    Project.open(directory)
    if password_env:
        password = os.environ.get(password_env, "")
        if not password:
            raise ZichtError(f"--password-env {password_env}: that environment variable is empty or not set")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        stored = upkeep.add_account(name, password, role, getpass.getuser())
    except AccountRefused as e:
        raise ZichtError(f"{name!r}: {e}") from None
    console.print(f"{stored} added as {role}.")  # the name as the login reads it (NFKC)


@main.command()
@PROJECT
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--threads", type=int, default=8, show_default=True, help="Requests served at once.")
def serve(directory: Path, port: int, threads: int) -> None:
    """Start the workbench on http://127.0.0.1:PORT (this machine only; never on the network).

    Researchers code, consult and review there; add the first account with `zicht user add`.
    Requests are logged to PROJECT/workbench.log (method, path, status, user, time; never text).
    """
    Project.open(directory)
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    from zicht.privacy.redaction import load_redaction
    from zicht.web import counting
    from zicht.web.views.monitor import count_ahead

    _port_is_free(port)  # before ten seconds of loading, not after
    if not upkeep.has_accounts():
        err.print(f"No accounts yet: add the coordinator with `zicht user add {directory} NAME --role coordinator`.")
    with progress("loading the redaction (deduce, ~10 s; the first time on a machine ~2 minutes)"):
        load_redaction()  # before the first request: no researcher waits for it on opening a case
    count_ahead()  # the monitor's first count, in the worker: no coordinator waits for it either
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as Ctrl-C does
    console.print(f"zicht workbench on http://127.0.0.1:{port}/  (Ctrl-C stops it)")
    try:
        waitress_serve(get_wsgi_application(), host="127.0.0.1", port=port, threads=threads, ident="zicht")
    except OSError as e:
        if e.errno != errno.EADDRINUSE:
            raise
        raise ZichtError(_PORT_IN_USE.format(port=port)) from None
    except KeyboardInterrupt:
        console.print("zicht workbench stopped.")
    finally:
        counting.shutdown()
        gc.freeze()  # the redaction's ~1 GB of objects: collecting them at exit took 20 s; the system frees them at once


_PORT_IN_USE = "port {port} is in use (another workbench, or another program): stop it, or choose another with --port"


def _port_is_free(port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise ZichtError(_PORT_IN_USE.format(port=port)) from None
            raise ZichtError(f"port {port}: cannot listen there ({e.strerror})") from None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
