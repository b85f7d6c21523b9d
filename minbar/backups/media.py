"""The media folder in a backup: listed for the archive, staged beside the old one, swapped in whole."""

import os
import secrets
import shutil
from pathlib import Path

from .archive import MEDIA_PREFIX


def media_files(root, skip=()):
    """(member name, path) of every regular file under `root`, in a stable order; links are not followed."""
    root = Path(root)
    skip = {Path(path).resolve() for path in skip}
    if not root.is_dir():
        return
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_symlink() or not path.is_file() or path.resolve() in skip:
                continue
            yield MEDIA_PREFIX + path.relative_to(root).as_posix(), path


def has_files(root):
    return next(media_files(root), None) is not None


def sibling(root, purpose):
    """A new, unused path beside `root` (same file system, so a rename is atomic)."""
    root = Path(root)
    return root.with_name(f".{root.name}.{purpose}-{secrets.token_hex(4)}")


def stage(archive, tar, root):
    """Write the archive's media into a new folder beside `root`; return it. `root` itself is not touched."""
    root = Path(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    staged = sibling(root, "restore")
    staged.mkdir()
    if root.is_dir():
        shutil.copymode(root, staged)
    try:
        for member in archive.media_members:
            target = staged.joinpath(*member[len(MEDIA_PREFIX) :].split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(descriptor, "wb") as destination:
                archive.copy_member(tar, member, destination)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def swap_in(staged, root):
    """Put `staged` where `root` is; return where the old folder went (None when there was none)."""
    root = Path(root)
    previous = None
    if root.exists():
        previous = sibling(root, "before-restore")
        os.rename(root, previous)
    os.rename(staged, root)
    fsync_folder(root.parent)
    return previous


def swap_back(previous, root):
    """Undo swap_in: the restored folder goes, the old one comes back."""
    root = Path(root)
    if root.exists():
        discarded = sibling(root, "discarded")
        os.rename(root, discarded)
        shutil.rmtree(discarded, ignore_errors=True)
    if previous is not None:
        os.rename(previous, root)
    fsync_folder(root.parent)


def fsync_folder(folder):
    """Make renames in `folder` survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
