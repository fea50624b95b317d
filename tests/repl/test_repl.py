#!/usr/bin/env python3
"""Drives the real exo REPL through a pseudo-terminal (issue 4) and prints TAP.

Each check types into the session and waits for the expected output; the
checks run in one session where the state carries over (stack, variables),
plus a few short sessions for history, -i and HOME handling. No pexpect:
only the standard library. Usage: EXO_BIN=path/to/exo test_repl.py
"""
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time

EXO = os.environ.get("EXO_BIN") or (sys.argv[1] if len(sys.argv) > 1 else None)
TIMEOUT = float(os.environ.get("EXO_REPL_TIMEOUT", "20"))


class Failure(Exception):
    pass


class Session:
    """One exo process on a pty: send keys, wait for regexes in its output."""

    def __init__(self, args=(), env=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(EXO, [EXO, *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        self.out = b""
        self.pos = 0  # expect() searches from here
        self.status = None

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            data = b""
        if not data:
            raise Failure("exo exited; output:\n" + self.tail())
        self.out += data.replace(b"\x07", b"")  # readline's bell on ambiguous completion
        return True

    def tail(self):
        return self.out[-1500:].decode("utf-8", "replace")

    def expect(self, pattern, timeout=TIMEOUT):
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        deadline = time.time() + timeout
        while True:
            m = rx.search(self.out, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = deadline - time.time()
            if left <= 0:
                raise Failure("timed out waiting for %r; output tail:\n%s" % (pattern, self.tail()))
            self._read(min(left, 0.2))

    def interrupt_prompt(self, pattern):
        """Sends Ctrl-C at the prompt and waits for pattern. A ^C that lands
        while readline is between reads can be consumed without a redraw on
        a loaded machine: one more ^C is allowed (it also only clears)."""
        self.send("\x03")
        try:
            return self.expect(pattern, timeout=min(TIMEOUT, 5))
        except Failure:
            self.send("\x03")
            return self.expect(pattern)

    def since(self, mark):
        return self.out[mark:self.pos]

    def send(self, text):
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def line(self, text, prompt=r"exo[^<\n]*<\d+> "):
        """Types a line and Enter, and waits for the next prompt."""
        mark = self.pos
        self.send(text + "\r")
        self.expect(prompt)
        return self.since(mark).decode("utf-8", "replace")

    def wait_exit(self, timeout=TIMEOUT):
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = st
                os.close(self.fd)
                return os.waitstatus_to_exitcode(st)
            try:
                self._read(0.1)
            except Failure:
                pass
        raise Failure("exo did not exit; output tail:\n" + self.tail())

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.status = -9


results = []


def check(name, fn):
    try:
        skip = fn()  # a string: why the check could not run yet
        skip = skip if isinstance(skip, str) else None
        results.append((True, name + (" # SKIP " + skip if skip else ""), ""))
    except Exception as e:  # report and go on: later checks may still pass
        results.append((False, name, "%s: %s" % (type(e).__name__, e)))


def base_env(tmp, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXO_", "XDG_"))}
    env.update(TERM="dumb", INPUTRC="/dev/null", HOME=tmp, LC_ALL="C.UTF-8")
    env.update(extra)
    return env


def has_word(s, w):
    return re.search(r"^%s \( " % re.escape(w), s.line(":help " + w), re.M) is not None


def main():
    if not EXO or not os.access(EXO, os.X_OK):
        print("1..0 # SKIP EXO_BIN not set")
        return 0
    tmp = tempfile.mkdtemp(prefix="exo-repl-")
    hist = os.path.join(tmp, "state", "exo", "hist")
    s = Session(env=base_env(tmp, EXO_HISTFILE=hist))
    try:
        check("prompt shows the stack depth", lambda: s.expect(r"exo<0> "))

        def multiline():
            s.send("<% 1\r")
            s.expect(r"exo%1<0> ")
            s.send("  <% 2\r")
            s.expect(r"exo%2<0> ")
            out = s.line("%> %>")
            assert "/* 1 */ <% 1 <% 2 %> %>" in out, out
            assert out.rstrip().endswith("exo<1>"), out
            s.send("/* a comment\r")
            s.expect(r"exo/\*<1> ")
            s.line("*/ CLEAR")
            s.send("<'\r")
            s.expect(r"exo'<0> ")
            s.send("two\r")
            s.expect(r"exo'<0> ")
            s.send("lines\r")
            s.expect(r"exo'<0> ")
            out = s.line("'>")
            assert '/* 1 */ "two\\nlines"' in out, out
            s.line("CLEAR")
        check("multi-line macro, comment and string with continuation prompts", multiline)

        def marks():
            s.send("MARK 1\r")
            s.expect(r"exo\[1<2> ")
            s.line("CLEAR")
        check("an open mark shows in the prompt", marks)

        def complete():
            s.send("7 SNAPSH\t")
            s.expect(r"SNAPSHOT")
            out = s.line("")
            assert '/* 1 */ "7 "' in out, out
            s.line("CLEAR")
        check("Tab completes SNAPSH to SNAPSHOT", complete)

        def complete_bucketize():
            if not has_word(s, "BUCKETIZE"):
                return "no BUCKETIZE word yet"
            s.send("BUCK\t")
            s.expect(r"BUCKET")
            time.sleep(0.3)
            s._read(0.2)
            if b"BUCKETIZE" not in s.out[s.pos - 6:]:
                # BUCKETCOUNT and BUCKETSPAN share the prefix: Tab again lists them
                s.send("\t\t")
                s.expect(r"BUCKETIZE")
            s.send("\x15")  # Ctrl-U: discard the line
            s.line("")
        check("Tab completes BUCK to BUCKETIZE (when the word exists)", complete_bucketize)

        def complete_vars():
            s.line("42 'answer' STORE <% 1 %> 'mymacro' STORE")
            s.send("$ans\t")
            s.expect(r"\$answer")
            out = s.line("")
            assert "/* 1 */ 42" in out, out
            s.send("@mym\t")
            s.expect(r"@mymacro")
            out = s.line("")
            assert "/* 1 */ 1" in out and "/* 2 */ 42" in out, out
            s.line("CLEAR")
        check("Tab completes $variables and @macros", complete_vars)

        def error_keeps_state():
            s.line("42 'v' STORE 1 2")
            out = s.line("NOSUCHWORD")
            assert "Unknown function 'NOSUCHWORD'" in out, out
            assert "/* 1 */ 2" in out and "/* 2 */ 1" in out, out
            assert out.rstrip().endswith("exo<2>"), out
            out = s.line("<% 5 PICK %> EVAL")
            assert "error" in out and "called from" in out or "in PICK" in out, out
            out = s.line("$v")  # the failed PICK left its operand
            assert "/* 1 */ 42" in out and "/* 2 */ 5" in out and "/* 4 */ 1" in out, out
            s.line("CLEAR")
        check("an error prints message and position, and keeps stack and variables", error_keeps_state)

        def interrupt():
            s.send("<% T %> <% %> WHILE\r")
            time.sleep(0.5)
            s.send("\x03")
            s.expect(r"Interrupted")
            s.expect(r"exo<0> ")
            out = s.line("99")
            assert "/* 1 */ 99" in out, out
            s.line("CLEAR")
        check("Ctrl-C interrupts an endless WHILE and the session goes on", interrupt)

        def ctrl_c_prompt():
            s.send("1 2 3")
            s.expect("1 2 3")
            s.interrupt_prompt(r"exo<0> ")
            s.send("<% 5\r")
            s.expect(r"exo%1<0> ")
            s.interrupt_prompt(r"exo<0> ")
            out = s.line("4")
            assert "/* 1 */ 4" in out and "/* 2 */" not in out, out
            s.line("CLEAR")
        check("Ctrl-C at the prompt drops the line and pending input", ctrl_c_prompt)

        def echo_words():
            s.line("ECHOOFF")
            out = s.line("5")
            assert "/* 1 */" not in out, out
            out = s.line(":echo on")
            assert "/* echo on */" in out and "/* 1 */ 5" not in out, out
            out = s.line("6 7 8 9 10 11 ECHOON")
            assert "/* 5 */ 7" in out and "/* 2 more, :stack shows all */" in out, out
            out = s.line(":stack")
            assert "/* 7 */ 5" in out, out
            out = s.line("TIMEON")
            assert re.search(r"/\* [0-9.]+ ms \*/", out), out
            out = s.line(":time off")
            assert "/* time off */" in out, out
            s.line("CLEAR")
        check("ECHOON/ECHOOFF, :echo, :stack, TIMEON, :time", echo_words)

        def help_words():
            out = s.line("'SWAP' MAN")
            assert re.search(r"SWAP \( .* \)  \[stack\]", out), out
            out = s.line(":help DUP")
            assert re.search(r"DUP \( .* \)", out), out
            out = s.line(":help")
            assert "stack" in out and ":quit" in out, out
            out = s.line(":help control")
            assert "WHILE" in out, out
            out = s.line(":help NOSUCH")
            assert "No word or family named 'NOSUCH'" in out, out
            out = s.line(":help @stats/zscore")
            assert "@stats/zscore ( gts -- gts )" in out and "standard library" in out, out
        check("MAN, :help WORD, :help, :help FAMILY", help_words)

        def long_values():
            if not has_word(s, "[") or not has_word(s, "]"):
                return "no list words yet"
            out = s.line("[ 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 "
                         "31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 ]")
            assert re.search(r"/\* 1 \*/ \[0, 1, 2, .*\.\.\..*\(51 items\)", out), out
            s.line("CLEAR")
        check("long lists are shortened with their size", long_values)

        def gts_display():
            for w in ("NEWGTS", "RENAME", "ADDVALUE"):
                if not has_word(s, w):
                    return "no %s word yet" % w
            out = s.line("NEWGTS 'temp' RENAME "
                         "0 NaN NaN NaN 1.0 ADDVALUE 10 NaN NaN NaN 3.0 ADDVALUE 20 NaN NaN NaN 2.0 ADDVALUE")
            assert "/* 1 */ temp{} 3 points [0..20]" in out, out
            assert "\n        \u2581\u2588\u2585\r\n" in out, repr(out)
            s.line("CLEAR")
        check("a GTS shows as class{labels} n points [first..last] plus a sparkline", gts_display)

        def space_line():
            out = s.line(" 123")
            assert "/* 1 */ 123" in out, out
        check("a line starting with a space runs", space_line)

        def quit_ctrl_d():
            s.send("\x04")
            code = s.wait_exit()
            assert code == 0, code
        check("Ctrl-D on an empty line exits with status 0", quit_ctrl_d)
    finally:
        s.kill()

    def history_written():
        with open(hist) as f:
            lines = f.read().splitlines()
        assert "NOSUCHWORD" in lines and "<% 1" in lines, lines
        assert not any(l.strip() == "123" for l in lines), lines
    check("the history file was written (space-led lines left out)", history_written)

    def history_recalled():
        s2 = Session(env=base_env(tmp, EXO_HISTFILE=hist))
        try:
            s2.expect(r"exo<0> ")
            with open(hist) as f:
                last = f.read().splitlines()[-1]
            s2.send("\x10")  # Ctrl-P: the previous line, read from the file
            s2.expect(re.escape(last))
            s2.send("\x15:quit\r")  # Ctrl-U clears it
            assert s2.wait_exit() == 0
        finally:
            s2.kill()
    check("history is read back at start, :quit exits 0", history_recalled)

    def xdg_default_path():
        state = os.path.join(tmp, "xdg")
        s3 = Session(env=base_env(tmp, XDG_STATE_HOME=state))
        try:
            s3.expect(r"exo<0> ")
            s3.line("1 DROP")
            s3.send("\x04")
            assert s3.wait_exit() == 0
        finally:
            s3.kill()
        with open(os.path.join(state, "exo", "history")) as f:
            assert "1 DROP" in f.read()
    check("history defaults to $XDG_STATE_HOME/exo/history (directories created)", xdg_default_path)

    def no_home():
        env = base_env(tmp)
        env["HOME"] = "/nonexistent/exo-home"
        s4 = Session(env=env)
        try:
            s4.expect(r"exo<0> ")
            out = s4.line("3")
            assert "/* 1 */ 3" in out, out
            s4.send("\x04")
            assert s4.wait_exit() == 0
        finally:
            s4.kill()
        env.pop("HOME")
        s5 = Session(env=env)
        try:
            s5.expect(r"exo<0> ")
            s5.send("\x04")
            assert s5.wait_exit() == 0
        finally:
            s5.kill()
    check("a missing HOME does not break the session", no_home)

    def readonly_histfile():
        ro = os.path.join(tmp, "ro-hist")
        with open(ro, "w") as f:
            f.write("OLDLINE\n")
        os.chmod(ro, 0o444)
        s6 = Session(env=base_env(tmp, EXO_HISTFILE=ro))
        try:
            s6.expect(r"exo<0> ")
            out = s6.line("4")
            assert "/* 1 */ 4" in out, out
            s6.send("\x04")
            assert s6.wait_exit() == 0
        finally:
            s6.kill()
    check("a read-only history file does not break the session", readonly_histfile)

    def after_script():
        s7 = Session(args=("-e", "5 6", "-i"), env=base_env(tmp, EXO_HISTFILE=""))
        try:
            s7.expect(r"exo<2> ")
            s7.send("\x04")
            assert s7.wait_exit() == 0
        finally:
            s7.kill()
    check("-i opens a session after -e CODE", after_script)

    def piped_stdin():
        r = subprocess.run([EXO], input=b"1 2 SWAP\n", capture_output=True, timeout=60,
                           env=base_env(tmp))
        assert r.returncode == 0 and r.stdout == b"1\n2\n", r
    check("non-interactive stdin still runs as a script", piped_stdin)

    failed = 0
    for i, (ok, name, why) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            for l in why.splitlines():
                print("# " + l)
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
