"""How files are written: only the file is touched. Devices, pipes and our own stdout are written
through, a symlink's target is replaced and the link kept, the umask is honoured, and a path that
cannot be written is one line, never a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from commentary.batch import article_path, run_batch
from commentary.cli import cli
from commentary.errors import OutputError
from commentary.files import write_atomic
from commentary.sources import CsvSource
from commentary.sources.store import UniverseStore

#: More than a pipe holds (64 KiB), so a FIFO's writer must stream to a live reader.
BIG = "x" * 200_000 + "\n"


@pytest.fixture
def umask() -> Iterator[None]:
    """Let a test set the process umask; put the old one back afterwards."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _read_in_thread(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as handle:  # blocks until a writer opens the FIFO
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, received


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "article.md"
    os.mkfifo(fifo)
    reader, received = _read_in_thread(fifo)
    write_atomic(fifo, BIG)
    reader.join(timeout=20)
    assert not reader.is_alive(), "the reader never saw a writer: the FIFO was replaced"
    assert received == [BIG.encode()]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["article.md"]  # no temporary left


def test_generate_writes_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    reader, received = _read_in_thread(fifo)
    result = CliRunner().invoke(cli, ["generate", "--output", str(fifo)])
    reader.join(timeout=20)
    assert result.exit_code == 0, result.stderr
    assert received and received[0].startswith(b"# ")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_character_device_is_written_through(tmp_path: Path) -> None:
    before = os.stat("/dev/null")
    write_atomic(Path("/dev/null"), "nothing to see")
    result = CliRunner().invoke(cli, ["generate", "--output", "/dev/null"])
    assert result.exit_code == 0, result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (
        before.st_ino,
        before.st_rdev,
    )


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "releases" / "index.md"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o640)
    site = tmp_path / "site"
    site.mkdir()
    link = site / "index.md"
    link.symlink_to(Path("..") / "releases" / "index.md")
    inode = real.stat().st_ino
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "releases", "index.md")
    assert real.read_text() == "new" and link.read_text() == "new"
    assert real.stat().st_ino != inode  # replaced by a rename, not rewritten in place
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["index.md"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    link = tmp_path / "latest.md"
    link.symlink_to("2020-04-17.md")
    write_atomic(link, "today")
    assert link.is_symlink() and (tmp_path / "2020-04-17.md").read_text() == "today"


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_new_files_honour_the_umask(tmp_path: Path, umask: None, mask: int) -> None:
    os.umask(mask)
    write_atomic(tmp_path / "page.html", "<p>hi</p>")
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o666 & ~mask


def test_every_writer_makes_files_a_web_server_can_read(tmp_path: Path, umask: None) -> None:
    os.umask(0o022)
    result = CliRunner().invoke(cli, ["generate", "--output", str(tmp_path / "a.md")])
    assert result.exit_code == 0, result.stderr
    run_batch([("AAPL", "^GSPC")], CsvSource.samples(), tmp_path / "batch", as_of="2020-04-17")
    UniverseStore(tmp_path / "store").write({"AAPL": CsvSource.samples().load("AAPL")})
    written = [tmp_path / "a.md", article_path(tmp_path / "batch", "AAPL", "markdown"),
               tmp_path / "batch" / "AAPL.json", tmp_path / "store" / "bars.parquet"]  # fmt: skip
    assert {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in written} == {
        str(p): "0o644" for p in written
    }


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    os.umask(0o077)
    page = tmp_path / "page.md"
    page.write_text("old")
    page.chmod(0o664)
    write_atomic(page, "new")
    assert page.read_text() == "new" and stat.S_IMODE(page.stat().st_mode) == 0o664


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file away")
def test_root_rewriting_a_users_file_leaves_it_theirs(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("old")
    os.chown(page, 65534, 65534)
    write_atomic(page, "new")
    assert (page.stat().st_uid, page.stat().st_gid) == (65534, 65534)


def test_output_dash_is_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    plain = runner.invoke(cli, ["generate"])
    dashed = runner.invoke(cli, ["generate", "--output", "-"])
    assert dashed.exit_code == 0, dashed.stderr
    assert dashed.stdout == plain.stdout and dashed.stdout.startswith("# ")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_our_own_stdout_is_appended_to_not_replaced(tmp_path: Path) -> None:
    """``--output /proc/self/fd/1`` (what ``/dev/stdout`` points at) while the shell appends
    stdout to a log: the article lands in the log after what was there, and the log stays the
    file the shell opened. (Tests never name /dev/stdout itself: a broken writer run as root
    would replace the system's link.)"""
    command = [sys.executable, "-m", "commentary", "--quiet", "generate"]
    article = subprocess.run(command, capture_output=True, check=True).stdout
    log = tmp_path / "daily.log"
    log.write_bytes(b"earlier run\n")
    inode = log.stat().st_ino
    with log.open("ab") as appended:
        done = subprocess.run([*command, "--output", "/proc/self/fd/1"], stdout=appended,
                              stderr=subprocess.PIPE)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert log.read_bytes() == b"earlier run\n" + article
    assert log.stat().st_ino == inode
    piped = subprocess.run([*command, "--output", "/proc/self/fd/1"], capture_output=True)
    assert piped.returncode == 0 and piped.stdout == article, piped.stderr


def test_a_path_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "site"
    blocker.write_text("a file where a folder should be")
    result = CliRunner().invoke(cli, ["--quiet", "generate", "--output", str(blocker / "a.md")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr == (
        f"error: cannot write {blocker / 'a.md'}: {blocker} is a file, not a folder; "
        "choose another path.\n"
    )
    assert blocker.read_text() == "a file where a folder should be"


def test_a_folder_is_refused_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"it is a folder; name a file in it\.$"):
        write_atomic(tmp_path, "x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = CliRunner().invoke(cli, ["--quiet", "generate", "--output", str(folder / "a.md")])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr == (
        f"error: cannot write {folder / 'a.md'}: permission denied; check that its folder "
        "exists, is writable and has space.\n"
    )
    assert list(folder.iterdir()) == []
