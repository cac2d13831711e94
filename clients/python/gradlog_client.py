"""Log a training loop into gradlog from Python: one file, the standard library only (Python 3.9+).

A `Run` starts `gradlog log` as a child process and writes it one JSON line per step (the step
contract, version 2, of docs/commands.md), flushed as it is written: `gradlog runs` in another
terminal follows the run without `python3 -u`. Used as a context manager, it ends the run
`finished` when the block ends, `interrupted` on KeyboardInterrupt (Ctrl-C) and `failed` on any
other exception, with the exception's message in `runs.error`::

    from gradlog_client import Run

    with Run(db="runs.db", name="mlp", tags={"model": "mlp"}, config={"lr": 0.1}) as run:
        for step in range(1, 1001):
            loss = train_step()
            if step % 10 == 0:
                run.log(step, loss=loss, metrics={"val_loss": validate()})

When gradlog refuses a line (or stops for any other reason), the run ends `failed` there and
`log` (or the end of the block) raises `GradlogError` with gradlog's own message.

Copy this file next to your script, or put its folder on PYTHONPATH.
"""

import json
import operator
import os
import shutil
import subprocess
import sys
import tempfile

__all__ = ["Run", "GradlogError"]


class GradlogError(Exception):
    """`gradlog log` stopped with an error: a refused line, a database it cannot write, ...

    `message` is what gradlog printed on standard error (without its "Error: " lead),
    `returncode` its exit status.
    """

    def __init__(self, message, returncode=None):
        super().__init__(message)
        self.message = message
        self.returncode = returncode


def _find_gradlog(gradlog):
    """The executable to start: `gradlog` if given, else $GRADLOG, else `gradlog` on PATH."""
    candidate = gradlog or os.environ.get("GRADLOG") or "gradlog"
    found = shutil.which(candidate)
    if found is None:
        raise GradlogError(
            "cannot find the gradlog executable %r: pass gradlog=PATH, set $GRADLOG, or put it on PATH" % candidate)
    return found


def _number(value):
    """A float for JSON: ints, floats and numpy scalars alike; None stays null (not a number)."""
    return None if value is None else float(value)


def _numbers(values, what):
    """A {name: float} dict from any mapping of names to numbers."""
    if not hasattr(values, "items"):
        raise TypeError("%s must be a dict of names to numbers, not %s" % (what, type(values).__name__))
    return {str(name): _number(value) for name, value in values.items()}


class Run:
    """One run of `gradlog log`, fed by this process.

    gradlog:   the executable (else $GRADLOG, else `gradlog` on PATH).
    db:        the database file (else gradlog's default: $GRADLOG_DB or ./gradlog.db).
    name:      the run's name; tags: a dict of key=value labels.
    config:    any JSON object, kept in `runs.config` (its first line).
    atol, rtol: the tolerances of the gradient check, where a step gives both gradients.
    stdout:    where gradlog's summary of the run goes: this process's standard output unless
               given (subprocess.DEVNULL drops it, a file object takes it).
    user:      who ran it, kept in `runs.run_by` (else $USER, else $LOGNAME, else the system's name).
    """

    def __init__(self, gradlog=None, db=None, name=None, tags=None, config=None, atol=None, rtol=None,
                 stdout=None, user=None):
        command = [_find_gradlog(gradlog), "log"]
        if db is not None:
            command += ["--db", os.fspath(db)]
        if name is not None:
            command += ["--name", str(name)]
        if user is not None:
            command += ["--user", str(user)]
        for key, value in (tags or {}).items():
            command += ["--tag", "%s=%s" % (key, value)]
        if atol is not None:
            command += ["--atol", repr(float(atol))]
        if rtol is not None:
            command += ["--rtol", repr(float(rtol))]
        self._stderr = tempfile.TemporaryFile()
        self._flush_stdout()  # what this script printed so far comes before gradlog's summary
        # A session of its own: Ctrl-C in the terminal reaches this process only, which ends the
        # run `interrupted` after every step it wrote, rather than gradlog stopping mid-stream.
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=stdout, stderr=self._stderr,
                                         start_new_session=True)
        self._ended = False
        self.returncode = None
        if config is not None:
            self._write({"config": config})

    def log(self, step, loss=None, metrics=None, params=None, analytic=None, numeric=None, epoch=None,
            batch_size=None):
        """Logs one step: its number (increasing, with any gaps), and a loss, metrics or params.

        metrics, params, analytic and numeric are dicts of names to numbers (floats, ints, numpy
        scalars; None, NaN and infinities are numbers that are not finite). A step gives any of the
        run's parameters (a new name joins the run, from a finite first value); analytic and
        numeric, when given, name the same parameters as params. epoch is optional and never goes
        back (without it every step is its own epoch).
        """
        line = {"step": operator.index(step)}
        if epoch is not None:
            line["epoch"] = operator.index(epoch)
        if loss is not None:
            line["loss"] = _number(loss)
        for key, values in (("params", params), ("analytic", analytic), ("numeric", numeric),
                            ("metrics", metrics)):
            if values is not None:
                line[key] = _numbers(values, key)
        if batch_size is not None:
            line["batch_size"] = operator.index(batch_size)
        self._write(line)

    def finish(self, params=None):
        """Ends the run `finished`, with the final parameter values if given, and waits for gradlog."""
        self.end("finished", params=params)

    def end(self, status="finished", error=None, params=None):
        """Ends the run as `status` ("finished", "failed", "interrupted" or "diverged") and waits.

        Raises GradlogError when gradlog stopped with an error of its own; a run ended otherwise
        than `finished` makes gradlog exit non-zero by design, which is not an error here.
        """
        if self._ended:
            raise GradlogError("the run has already ended")
        line = {"end": status}
        if error is not None:
            line["error"] = str(error)
        if params is not None:
            line["params"] = _numbers(params, "params")
        if status == "finished":
            self._write(line, last=True)
            self._close(expect_success=True)
            return
        # Ending otherwise than finished, an exception of the caller's is usually on its way: gradlog's
        # words go to standard error beside it, and a gradlog that already stopped raises nothing here.
        try:
            self._write(line, last=True)
        except GradlogError as stopped:
            print("gradlog log: %s" % stopped.message, file=sys.stderr)
            return
        self._close(expect_success=False)

    def __enter__(self):
        return self

    def __exit__(self, kind, exception, traceback):
        if self._ended:
            return False
        if kind is None:
            self.finish()
        elif issubclass(kind, KeyboardInterrupt):
            self.end("interrupted")
        else:
            message = str(exception)
            self.end("failed", error="%s: %s" % (kind.__name__, message) if message else kind.__name__)
        return False  # the exception, if any, goes on

    def _write(self, line, last=False):
        """Writes one JSON line and flushes it; a gradlog that stopped reading raises GradlogError."""
        if self._ended:
            raise GradlogError("the run has already ended")
        data = (json.dumps(line, allow_nan=True) + "\n").encode("utf-8")
        try:
            self._process.stdin.write(data)
            self._process.stdin.flush()
        except BrokenPipeError:
            self._close(expect_success=True)
            raise GradlogError("gradlog log stopped reading its input")  # it exited 0 without an end line
        # gradlog stopped before the end line (a refused line, an unwritable database): say why now.
        if not last and self._process.poll() is not None:
            self._close(expect_success=True)
            raise GradlogError("gradlog log ended before the run did")

    def _close(self, expect_success):
        """Closes gradlog's input and waits for it; raises its error when it failed and success was expected."""
        self._ended = True
        self._flush_stdout()
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        self.returncode = self._process.wait()
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip()
        self._stderr.close()
        message = text[len("Error: "):] if text.startswith("Error: ") else text
        if self.returncode != 0 and expect_success:
            raise GradlogError(message or "gradlog log exited with status %d" % self.returncode, self.returncode)
        if message:  # how a run ended otherwise than finished, in gradlog's words
            print("gradlog log: %s" % message, file=sys.stderr)

    @staticmethod
    def _flush_stdout():
        try:
            sys.stdout.flush()
        except (AttributeError, ValueError, OSError):
            pass
