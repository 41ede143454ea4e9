"""Texts to token ids for the index builder, in this process or in a helper process.

Tokenizing is a third of the work of building the index and needs nothing but the text,
so on a large corpus it runs in a second process, a few batches ahead of the builder,
while the builder files the facts of the batches already tokenized. The vocabulary
(word -> id) lives where the tokenizing happens; each answer carries the words that got
their id in it, so the builder knows every id's word.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import queue
import subprocess
import sys
import threading
from array import array
from collections import deque
from collections.abc import Iterable
from itertools import chain, compress, repeat
from operator import is_
from pathlib import Path
from typing import IO, Protocol, cast

from pktui.search.pieces import (
    abbreviations,
    layout,
    pieces,
    uncovered,
    use_abbreviations,
)
from pktui.search.tokens import MAX_TOKEN, SEP_WORD, piece_tokens

JUNK = 0  # the id of stopwords and of the separator between pieces: indexed nowhere

# A batch of articles: their texts; every bound of their facts and of the facts' sentences,
# article after article (sorted within each); how many bounds each has; the sentences
# (start, end, start, ...) and how many numbers of them each has. Numbers are packed
# 64-bit integers (``array('q')`` or its bytes): they cross the pipe as one block each.
Articles = tuple[list[str], bytes, bytes, bytes, bytes]
# Each article's bounds once its passages are found (packed, with how many each has), and
# its passages (start, end, ..., with how many each has).
Layouts = tuple[bytes, bytes, bytes, bytes]
# ids, where each piece's tokens start (packed), the words new in this batch, the layouts
Tokens = tuple[bytes, bytes, list[str], Layouts]


def packed(values: Iterable[int]) -> bytes:
    """Integers as one block of 64-bit numbers."""
    return array("q", values).tobytes()


def unpacked(raw: bytes) -> list[int]:
    out = array("q")
    out.frombytes(raw)
    return out.tolist()


class Vocabulary:
    """Words to ids: ids in order of first sight, 0 for the junk words."""

    def __init__(self, junk_words: Iterable[str]) -> None:
        self.ids: dict[str, int] = dict.fromkeys(junk_words, JUNK)
        self.ids[SEP_WORD] = JUNK
        self.size = 1

    def tokenize(self, articles: Articles, extras: list[str]) -> Tokens:
        """The tokens of a batch: each article's passages are found (in the text its
        sentences leave uncovered) and the article is cut at every bound; its pieces
        (one more than its bounds: the last is empty) and then the ``extras`` are
        tokenized together.

        Returns the ids of :func:`piece_tokens`'s tokens, where each piece's tokens
        start, the words first seen here (their ids follow the previous ones), and the
        articles' layouts.
        """
        texts, bounds_raw, n_bounds, sentences_raw, n_sentences = articles
        bounds, sentences = unpacked(bounds_raw), unpacked(sentences_raw)
        pieces_: list[str] = []
        out_bounds: list[int] = []
        out_n: list[int] = []
        passages_flat: list[int] = []
        n_passages: list[int] = []
        b = s = 0
        for text, nb, ns in zip(texts, unpacked(n_bounds), unpacked(n_sentences)):
            mine = bounds[b : b + nb]
            spans = sentences[s : s + ns]
            b += nb
            s += ns
            gaps = uncovered(list(zip(spans[::2], spans[1::2])), len(text))
            mine, passages = layout(text, mine, gaps)
            pieces_.extend(pieces(text, mine))
            pieces_.append("")
            out_bounds.extend(mine)
            out_n.append(len(mine))
            passages_flat.extend(chain.from_iterable(passages))
            n_passages.append(len(passages))
        pieces_.extend(extras)
        words, starts = piece_tokens(pieces_)
        get = self.ids.get
        ids = list(map(get, words))
        new: list[str] = []
        if None in ids:
            vocab = self.ids
            for k in compress(range(len(ids)), map(is_, ids, repeat(None))):
                w = words[k]
                t = get(w)
                if t is None:
                    t = vocab[w] = self._new_id(w[:MAX_TOKEN], new)
                ids[k] = t
        layouts = (packed(out_bounds), packed(out_n), packed(passages_flat), packed(n_passages))
        filled = cast("list[int]", ids)  # every None was given its new id above
        return array("I", filled).tobytes(), packed(starts), new, layouts

    def _new_id(self, word: str, new: list[str]) -> int:
        """The id of a word not seen before (a word over MAX_TOKEN letters: of its start)."""
        t = self.ids.get(word)
        if t is None:
            t = self.ids[word] = self.size
            self.size += 1
            new.append(word)
        return t


def no_articles() -> Articles:
    """An empty batch of articles (to tokenize only extras)."""
    return [], b"", b"", b"", b""


class Tokenizer(Protocol):
    """Tokenizes batches of articles, answering in the order they were submitted."""

    def submit(self, articles: Articles, extras: list[str]) -> None: ...

    def result(self) -> Tokens: ...

    def close(self) -> None: ...


class LocalTokenizer:
    """Tokenizes each batch when it is submitted, in this process."""

    def __init__(self, junk_words: Iterable[str]) -> None:
        self._vocab = Vocabulary(junk_words)
        self._done: deque[Tokens] = deque()

    def submit(self, articles: Articles, extras: list[str]) -> None:
        self._done.append(self._vocab.tokenize(articles, extras))

    def result(self) -> Tokens:
        """The tokens of the oldest batch not yet taken."""
        return self._done.popleft()

    def close(self) -> None:
        self._done.clear()


class WorkerTokenizer:
    """Tokenizes batches in a helper process (``python -m pktui.search.tokenizer``), in
    the order they were submitted.

    The helper is a fresh interpreter that holds only its vocabulary, not a copy of the
    knowledge base; batches go to it through a pipe from a writer thread, so the builder
    never waits to send, and answers come back in order. Messages are ``marshal``-ed:
    fast, and unlike ``pickle`` it does not leave a UTF-8 copy cached in every non-ASCII
    text it sends (that would hold a second copy of the corpus). If the helper cannot start or
    dies, :meth:`result` raises ``OSError``/``EOFError`` and the builder starts again
    in-process. Once closed, :attr:`peak_mb` is the helper's peak memory and
    :attr:`parent_peak_mb` this process's peak until then: the two may have coincided,
    later peaks of this process did not.
    """

    def __init__(self, junk_words: Iterable[str]) -> None:
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])  # the directory holding pktui
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "pktui.search.tokenizer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert self._proc.stdout is not None  # (stdout=PIPE)
        self._stdout: IO[bytes] = self._proc.stdout
        _widen(self._proc.stdin, self._stdout)
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="tokenizer-feed", daemon=True)
        self._writer.start()
        self.peak_mb = 0.0
        self.parent_peak_mb = 0.0
        self._closed = False
        self._outbox.put(marshal.dumps((sorted(junk_words), sorted(abbreviations()))))

    def _write(self) -> None:
        pipe = self._proc.stdin
        assert pipe is not None
        try:
            while (msg := self._outbox.get()) is not None:
                _send(pipe, msg)
        except OSError:  # the helper is gone: result() will say so
            pass
        finally:
            with contextlib.suppress(OSError):
                pipe.close()

    def submit(self, articles: Articles, extras: list[str]) -> None:
        self._outbox.put(marshal.dumps((articles, extras)))

    def result(self) -> Tokens:
        return cast(Tokens, _read_frame(self._stdout))  # what the helper's Vocabulary.tokenize returned

    def close(self) -> None:
        """Stop the helper (once the batches sent are answered) and note its peak memory."""
        if self._closed:
            return
        self._closed = True
        self._outbox.put(None)
        try:
            while True:  # unread answers, then the helper's peak memory
                last = _read_frame(self._stdout)
                if isinstance(last, float):
                    self.peak_mb = last
                    break
        except (OSError, EOFError, ValueError):
            pass
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._stdout.close()
        self._writer.join(timeout=5)
        self.parent_peak_mb = _peak_mb()


def _widen(*pipes: IO[bytes] | None) -> None:
    """Pipes of 1 MB where Linux allows it: a batch goes through in one write, not 64 KB
    at a time with a switch between the processes after each."""
    try:
        import fcntl

        for pipe in pipes:
            if pipe is None:
                continue
            fcntl.fcntl(pipe.fileno(), 1031, 1 << 20)  # F_SETPIPE_SZ
    except (ImportError, OSError, AttributeError):
        pass


def _read_frame(pipe: IO[bytes]) -> object:
    """One frame sent by :func:`_send`, as marshal loads it."""
    head = pipe.read(8)
    if len(head) < 8:
        raise EOFError("the tokenizer process ended")
    n = int.from_bytes(head, "little")
    body = pipe.read(n)
    if len(body) < n:
        raise EOFError("the tokenizer process ended")
    return marshal.loads(body)


def _send(pipe: IO[bytes], msg: bytes) -> None:
    """One frame: the length of ``msg``, then ``msg`` (read back by :func:`_read_frame`)."""
    pipe.write(len(msg).to_bytes(8, "little"))
    pipe.write(msg)
    pipe.flush()


def _write_frame(pipe: IO[bytes], obj: Tokens | float) -> None:
    _send(pipe, marshal.dumps(obj))


def serve(inp: IO[bytes], out: IO[bytes]) -> None:
    """The helper's loop: junk words and abbreviations first, then batches of articles,
    answered in order; at the end of its input, its peak memory in MB (a float)."""
    vocab: Vocabulary | None = None
    while True:
        try:
            msg = _read_frame(inp)
        except EOFError:
            break
        # the frames WorkerTokenizer sends: (junk words, abbreviations), then (articles, extras)
        if vocab is None:
            junk_words, abbrevs = cast("tuple[list[str], list[str]]", msg)
            use_abbreviations(abbrevs)
            vocab = Vocabulary(junk_words)
        else:
            articles, extras = cast("tuple[Articles, list[str]]", msg)
            _write_frame(out, vocab.tokenize(articles, extras))
    _write_frame(out, _peak_mb())


def _peak_mb() -> float:
    """This process's peak memory. On Linux from ``VmHWM``: ``ru_maxrss`` would count the
    parent's memory from before this interpreter was exec'd."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    try:
        import resource
    except ImportError:  # not on this platform
        return 0.0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
