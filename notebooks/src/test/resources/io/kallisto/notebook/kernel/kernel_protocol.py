"""Drives a real Kallisto kernel over Jupyter's protocol with jupyter_client, for
KernelProtocolTest: python3 kernel_protocol.py SCENARIO [N]. The kernelspec is found through
JUPYTER_PATH. Prints one JSON object (what the kernel answered) as the last line of stdout; the
Java test asserts on it. Exits 2 if the kernel cannot be reached."""

import json
import os
import queue
import signal
import sys
import time

from jupyter_client import KernelManager

TIMEOUT = 60


class Session:
    def __init__(self):
        self.km = KernelManager(kernel_name="kallisto")
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.iopub = []  # every iopub message seen, in order

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)

    def pump_iopub(self, timeout):
        try:
            msg = self.kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            return None
        self.iopub.append(msg)
        return msg

    def reply(self, msg_id, timeout=TIMEOUT):
        """The shell reply to msg_id, reading iopub meanwhile."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=0.05)
            except queue.Empty:
                self.pump_iopub(0.01)
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        self.dump_kernel()
        raise TimeoutError("no reply to %s in %s s" % (msg_id, timeout))

    def dump_kernel(self):
        """Asks the kernel's JVM for a thread dump (on its stdout, which is ours) to debug a hang."""
        try:
            os.kill(self.km.provisioner.process.pid, signal.SIGQUIT)
            time.sleep(2)  # the JVM writes the dump asynchronously
        except Exception as e:  # noqa: BLE001 - a diagnostic only
            print("no thread dump: %r" % e, file=sys.stderr)

    def wait_iopub(self, predicate, timeout=TIMEOUT):
        for msg in self.iopub:
            if predicate(msg):
                return msg
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self.pump_iopub(0.1)
            if msg is not None and predicate(msg):
                return msg
        raise TimeoutError("the awaited iopub message did not come in %s s" % timeout)

    def idle(self, msg_id):
        """Waits until the kernel has published idle for msg_id (all its output sent)."""
        self.wait_iopub(lambda m: m["parent_header"].get("msg_id") == msg_id
                        and m["msg_type"] == "status"
                        and m["content"]["execution_state"] == "idle")

    def execute(self, code):
        msg_id = self.kc.execute(code)
        reply = self.reply(msg_id)
        self.idle(msg_id)
        return msg_id, reply["content"]

    def result(self, msg_id):
        for m in self.iopub:
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result":
                return m["content"]["data"].get("text/plain")
        return None

    def streams(self):
        return [{"parent": m["parent_header"].get("msg_id"), "name": m["content"]["name"],
                 "text": m["content"]["text"]}
                for m in self.iopub if m["msg_type"] == "stream"]


def is_complete(s, _n):
    codes = ["int x = 1;", "for (int i = 0; i < 3; i++) {", "int x = );"]
    out = {}
    for code in codes:
        msg_id = s.kc.is_complete(code)
        out[code] = s.reply(msg_id)["content"]
    return out


def history(s, _n):
    ids = [s.execute(code)[0] for code in ["int h1 = 1;", "int h2 = h1 + 1;", "h2 * 21"]]
    out = {"cells": ids}
    msg_id = s.kc.history(raw=True, output=True, hist_access_type="tail", n=2)
    out["tail"] = s.reply(msg_id)["content"]
    msg_id = s.kc.history(raw=True, output=False, hist_access_type="range", session=0, start=1,
                          stop=3)
    out["range"] = s.reply(msg_id)["content"]
    msg_id = s.kc.history(raw=True, output=False, hist_access_type="search", pattern="*h2*", n=10)
    out["search"] = s.reply(msg_id)["content"]
    return out


def inspect(s, _n):
    code = "Dispatcher d = Dispatchers.create(\"x\");"
    msg_id = s.kc.inspect(code, cursor_pos=code.index("create") + 3, detail_level=0)
    found = s.reply(msg_id)["content"]
    msg_id = s.kc.inspect("noSuchNameAnywhere", cursor_pos=4, detail_level=0)
    return {"found": found, "nothing": s.reply(msg_id)["content"]}


def interrupt(s, n):
    rounds = []
    for i in range(n):
        code = ("Dispatcher blocked = Dispatchers.epoll(\"blocked-%d\");\n"
                "blocked.post(() -> System.out.println(\"running %d\"));\n"
                "blocked.run(RunType.RUN_UNTIL_EXIT);" % (i, i))
        msg_id = s.kc.execute(code)
        s.wait_iopub(lambda m: m["msg_type"] == "stream"
                     and m["parent_header"].get("msg_id") == msg_id
                     and ("running %d" % i) in m["content"]["text"])
        # The loop printed from its first callback and then sleeps in epoll_wait (the stream took
        # a round trip to get here); an Interrupt even before that would end run() all the same.
        start = time.monotonic()
        s.km.interrupt_kernel()
        reply = s.reply(msg_id)
        latency = time.monotonic() - start
        s.idle(msg_id)
        errors = [m["content"] for m in s.iopub if m["msg_type"] == "error"
                  and m["parent_header"].get("msg_id") == msg_id]
        next_id, next_reply = s.execute("6 * 7")
        rounds.append({"latency": latency, "status": reply["content"]["status"],
                       "ename": reply["content"].get("ename"),
                       "traceback": errors[0]["traceback"] if errors else [],
                       "next_status": next_reply["status"], "next": s.result(next_id)})
    return {"rounds": rounds}


def background(s, _n):
    starter, _ = s.execute(
        "CountDownLatch go = new CountDownLatch(1);\n"
        "CountDownLatch done = new CountDownLatch(1);\n"
        "new Thread(() -> {\n"
        "  try { go.await(); } catch (InterruptedException e) { return; }\n"
        "  System.out.println(\"late from the starter\");\n"
        "  done.countDown();\n"
        "}).start();")
    running, content = s.execute("go.countDown();\ndone.await();\n"
                                 "System.out.println(\"the running cell\");")
    s.wait_iopub(lambda m: m["msg_type"] == "stream"
                 and "late from the starter" in m["content"]["text"])
    return {"starter": starter, "running": running, "status": content["status"],
            "streams": s.streams()}


SCENARIOS = {"is_complete": is_complete, "history": history, "inspect": inspect,
             "interrupt": interrupt, "background": background}


def main():
    scenario = SCENARIOS[sys.argv[1]]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    try:
        s = Session()
    except Exception as e:  # noqa: BLE001 - any failure to start is reported the same way
        print(json.dumps({"error": "cannot start the kernel: %r" % e}))
        sys.exit(2)
    try:
        out = scenario(s, n)
    finally:
        s.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
