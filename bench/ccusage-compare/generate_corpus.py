#!/usr/bin/env python3
"""Generates a realistic home folder of Claude Code, Codex CLI and Gemini CLI session files.

The files follow the shapes the real CLIs write (see lake/src/test/resources/fixtures/home) and their
duplication patterns, which is what the counting rules are about:

Claude Code (~/.claude/projects/<project>/<session>.jsonl)
  * one `assistant` line per content block, each repeating the response's usage (same message.id and
    requestId); in older versions the first block's line carries a partial (streaming) snapshot;
  * subagents (Task tool) in <session>/subagents/agent-*.jsonl, with isSidechain lines; the subagent's
    last response is replayed into the parent file as a sidechain line (same ids);
  * resumed sessions: a new session file that first copies the earlier session's lines;
  * `<synthetic>` model lines (Claude Code's own messages, zero usage);
  * 2.1.330-style usage whose cache_creation 5m/1h breakdown is zeros while
    cache_creation_input_tokens is not, next to lines whose breakdown adds up;
  * large tool results (file contents) that make up most of the bytes.
Codex CLI (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl)
  * cumulative token_count events, some repeated without a new call, some with info null.
Gemini CLI (~/.gemini/tmp/<project>/chats/session-*.jsonl)
  * messages rewritten with the same id as they complete (first with partial tokens), $set lines,
    thoughts tokens.

Usage: generate_corpus.py OUT_DIR [--mb 450] [--seed 7]
"""
import argparse
import json
import os
import random
import uuid
from datetime import datetime, timedelta, timezone

J = lambda o: json.dumps(o, separators=(",", ":"), ensure_ascii=False)
END = datetime(2026, 11, 20, 23, 0, tzinfo=timezone.utc)
DAYS = 40

WORDS = ("the a to of and in is it that for on with as this be are was by or not function return value "
         "const let var import export class def self file path error test build run module config data "
         "request response token cache model session user assistant tool result lake parquet bucket").split()


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


class Text:
    def __init__(self, rnd):
        self.rnd = rnd
        self.pool = [" ".join(rnd.choice(WORDS) for _ in range(200)) for _ in range(64)]

    def words(self, n_chars):
        out = []
        size = 0
        while size < n_chars:
            s = self.rnd.choice(self.pool)
            out.append(s)
            size += len(s) + 1
        return "\n".join(out)[:n_chars]


def uid(rnd):
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def hexid(rnd, n=24):
    return "%0*x" % (n, rnd.getrandbits(4 * n))


# ---------------------------------------------------------------- Claude Code
CLAUDE_MODELS = [("claude-sonnet-4-5-20250929", 0.6), ("claude-opus-4-1-20250805", 0.25), ("claude-haiku-4-5-20251001", 0.15)]


def pick(rnd, weighted):
    r = rnd.random()
    for v, w in weighted:
        r -= w
        if r <= 0:
            return v
    return weighted[-1][0]


def claude_usage(rnd, style, context, output):
    cache_write = rnd.randint(0, 6000) if rnd.random() < 0.7 else 0
    u = {"input_tokens": rnd.randint(3, 400) if rnd.random() < 0.8 else rnd.randint(400, 30000),
         "cache_creation_input_tokens": cache_write,
         "cache_read_input_tokens": context,
         "output_tokens": output}
    if style == "zero-breakdown":  # Claude Code 2.1.330 writes these
        u["cache_creation"] = {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0}
        u["output_tokens_details"] = {"thinking_tokens": 0}
    elif style == "breakdown":
        one_hour = cache_write if rnd.random() < 0.3 else 0
        u["cache_creation"] = {"ephemeral_1h_input_tokens": one_hour, "ephemeral_5m_input_tokens": cache_write - one_hour}
    u["service_tier"] = "standard"
    return u


def claude_session(rnd, text, project_dir, cwd, start, version, style, parent_lines=None, session_id=None):
    """Returns (main lines, {subagent file name: lines}, end time)."""
    sid = session_id or uid(rnd)
    lines = []
    if parent_lines:
        for l in parent_lines:  # a resumed session copies the history, under the new session id
            d = json.loads(l)
            if "sessionId" in d:
                d["sessionId"] = sid
            lines.append(J(d))
    subagents = {}
    t = start
    parent = None
    model = pick(rnd, CLAUDE_MODELS)
    context = rnd.randint(8000, 20000)
    base = {"userType": "external", "entrypoint": "cli", "cwd": cwd, "sessionId": sid, "version": version,
            "gitBranch": "main"}

    def line(**kw):
        d = dict(kw)
        d.update(base)
        return d

    for turn in range(rnd.randint(3, 40)):
        prompt_id = uid(rnd)
        u = uid(rnd)
        lines.append(J(line(parentUuid=parent, isSidechain=False, promptId=prompt_id, type="user",
                            message={"role": "user", "content": text.words(rnd.randint(20, 600))}, uuid=u,
                            timestamp=iso(t))))
        parent = u
        for step in range(rnd.randint(1, 6)):
            t += timedelta(seconds=rnd.randint(2, 40))
            msg_id = "msg_" + hexid(rnd)
            req_id = "req_" + hexid(rnd)
            output = rnd.randint(20, 2500)
            context += rnd.randint(200, 4000)
            usage = claude_usage(rnd, style, context, output)
            blocks = []
            if rnd.random() < 0.3:
                blocks.append({"type": "thinking", "thinking": text.words(rnd.randint(100, 1500)), "signature": hexid(rnd, 64)})
            blocks.append({"type": "text", "text": text.words(rnd.randint(40, 1200))})
            tool_use = rnd.random() < 0.75
            if tool_use:
                tool_id = "toolu_" + hexid(rnd)
                blocks.append({"type": "tool_use", "id": tool_id, "name": rnd.choice(["Bash", "Read", "Edit", "Grep", "Write"]),
                               "input": {"command": text.words(rnd.randint(10, 300))}})
            partial = version.startswith("1.") and rnd.random() < 0.5
            for i, block in enumerate(blocks):
                u2 = uid(rnd)
                snap = dict(usage)
                if partial and i == 0 and len(blocks) > 1:
                    snap["output_tokens"] = rnd.randint(1, 8)  # a streaming snapshot, completed by the next line
                lines.append(J(line(parentUuid=parent, isSidechain=False,
                                    message={"id": msg_id, "type": "message", "role": "assistant", "model": model,
                                             "content": [block], "stop_reason": "tool_use" if tool_use else "end_turn",
                                             "usage": snap},
                                    requestId=req_id, type="assistant", uuid=u2, timestamp=iso(t))))
                parent = u2
                t += timedelta(milliseconds=rnd.randint(20, 400))
            if tool_use:
                if rnd.random() < 0.12:  # a subagent does the work
                    agent = "agent-" + hexid(rnd, 8)
                    sub, last = [], None
                    st = t
                    for k in range(rnd.randint(2, 8)):
                        st += timedelta(seconds=rnd.randint(2, 20))
                        su = uid(rnd)
                        sm = "msg_" + hexid(rnd)
                        sr = "req_" + hexid(rnd)
                        sus = claude_usage(rnd, style, rnd.randint(5000, 40000), rnd.randint(20, 800))
                        last = J(line(parentUuid=last and json.loads(last)["uuid"], isSidechain=True, agentId=agent,
                                      message={"id": sm, "type": "message", "role": "assistant",
                                               "model": "claude-haiku-4-5-20251001",
                                               "content": [{"type": "text", "text": text.words(rnd.randint(40, 800))}],
                                               "usage": sus},
                                      requestId=sr, type="assistant", uuid=su, timestamp=iso(st)))
                        sub.append(last)
                        sub.append(J(line(parentUuid=su, isSidechain=True, agentId=agent, type="user",
                                          message={"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_" + hexid(rnd),
                                                                                "content": text.words(rnd.randint(200, 8000))}]},
                                          uuid=uid(rnd), timestamp=iso(st))))
                    subagents.setdefault(sid, {})[agent] = sub
                    lines.append(last)  # the subagent's last response replayed into the parent
                    t = st
                u3 = uid(rnd)
                size = rnd.choice([200, 800, 3000, 12000, 40000])
                lines.append(J(line(parentUuid=parent, isSidechain=False, promptId=prompt_id, type="user",
                                    message={"role": "user", "content": [{"tool_use_id": tool_id, "type": "tool_result",
                                                                          "content": text.words(rnd.randint(size // 2, size)),
                                                                          "is_error": rnd.random() < 0.05}]},
                                    uuid=u3, timestamp=iso(t), toolUseResult={"stdout": "", "stderr": ""})))
                parent = u3
            else:
                break
        if rnd.random() < 0.04:
            lines.append(J(line(parentUuid=parent, isSidechain=False, type="assistant", uuid=uid(rnd), timestamp=iso(t),
                                message={"id": uid(rnd), "type": "message", "role": "assistant", "model": "<synthetic>",
                                         "content": [{"type": "text", "text": "No response requested."}],
                                         "usage": {"input_tokens": 0, "output_tokens": 0,
                                                   "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}})))
        t += timedelta(minutes=rnd.randint(1, 30))
    return sid, lines, subagents.get(sid, {}), t


def write_claude(rnd, text, home, budget):
    written = 0
    projects = [f"/home/dev/work/proj-{i:02d}" for i in range(18)]
    previous = []
    n = 0
    while written < budget:
        cwd = rnd.choice(projects)
        pdir = os.path.join(home, ".claude", "projects", cwd.replace("/", "-"))
        os.makedirs(pdir, exist_ok=True)
        start = END - timedelta(days=rnd.random() * DAYS)
        r = rnd.random()
        version, style = ("2.1.330", "zero-breakdown") if r < 0.35 else ("2.0.14", "breakdown") if r < 0.8 else ("1.0.98", "none")
        parent_lines = None
        if previous and rnd.random() < 0.1:  # resume an earlier session of this project
            p = rnd.choice(previous)
            parent_lines, start = p[1], p[2] + timedelta(minutes=rnd.randint(5, 600))
            cwd = p[3]
            pdir = os.path.join(home, ".claude", "projects", cwd.replace("/", "-"))
        sid, lines, subagents, end = claude_session(rnd, text, pdir, cwd, start, version, style, parent_lines)
        data = "\n".join(lines) + "\n"
        with open(os.path.join(pdir, sid + ".jsonl"), "w") as f:
            f.write(data)
        written += len(data)
        for agent, sub in subagents.items():
            sdir = os.path.join(pdir, sid, "subagents")
            os.makedirs(sdir, exist_ok=True)
            sdata = "\n".join(sub) + "\n"
            with open(os.path.join(sdir, agent + ".jsonl"), "w") as f:
                f.write(sdata)
            written += len(sdata)
        if len(previous) < 200:
            previous.append((sid, lines, end, cwd))
        n += 1
    return n, written


# ---------------------------------------------------------------- Codex CLI
def write_codex(rnd, text, home, budget):
    written = 0
    n = 0
    instructions = text.words(12000)
    while written < budget:
        start = END - timedelta(days=rnd.random() * DAYS)
        sid = uid(rnd)
        d = os.path.join(home, ".codex", "sessions", start.strftime("%Y"), start.strftime("%m"), start.strftime("%d"))
        os.makedirs(d, exist_ok=True)
        cwd = f"/home/dev/work/proj-{rnd.randint(0, 17):02d}"
        model = rnd.choice(["gpt-5-codex", "gpt-5", "gpt-5-codex"])
        t = start
        lines = [J({"timestamp": iso(t), "type": "session_meta",
                    "payload": {"id": sid, "timestamp": iso(t), "cwd": cwd, "originator": "codex_cli_rs",
                                "cli_version": "0.169.0", "base_instructions": {"text": instructions}}})]
        total = [0, 0, 0, 0]
        for turn in range(rnd.randint(2, 25)):
            turn_id = uid(rnd)
            lines.append(J({"timestamp": iso(t), "type": "turn_context",
                            "payload": {"turn_id": turn_id, "cwd": cwd, "model": model, "approval_policy": "on-request"}}))
            lines.append(J({"timestamp": iso(t), "type": "response_item",
                            "payload": {"type": "message", "role": "user",
                                        "content": [{"type": "input_text", "text": text.words(rnd.randint(20, 500))}]}}))
            for step in range(rnd.randint(1, 6)):
                t += timedelta(seconds=rnd.randint(2, 30))
                call_id = "call_" + hexid(rnd)
                lines.append(J({"timestamp": iso(t), "type": "response_item",
                                "payload": {"type": "function_call", "name": "exec_command",
                                            "arguments": J({"cmd": text.words(rnd.randint(10, 200))}), "call_id": call_id}}))
                inp = rnd.randint(3000, 60000)
                cached = int(inp * rnd.uniform(0.5, 0.95))
                out = rnd.randint(20, 2000)
                reasoning = rnd.randint(0, out)
                last = [inp, cached, out, reasoning]
                total = [a + b for a, b in zip(total, last)]
                usage = lambda a: {"input_tokens": a[0], "cached_input_tokens": a[1], "output_tokens": a[2],
                                   "reasoning_output_tokens": a[3], "total_tokens": a[0] + a[2]}
                event = J({"timestamp": iso(t), "type": "event_msg",
                           "payload": {"type": "token_count", "info": {"total_token_usage": usage(total),
                                                                       "last_token_usage": usage(last),
                                                                       "model_context_window": 258400}}})
                lines.append(event)
                if rnd.random() < 0.3:  # Codex repeats the event without a new call
                    lines.append(event.replace(iso(t), iso(t + timedelta(milliseconds=5))))
                if rnd.random() < 0.05:
                    lines.append(J({"timestamp": iso(t), "type": "event_msg", "payload": {"type": "token_count", "info": None}}))
                lines.append(J({"timestamp": iso(t), "type": "response_item",
                                "payload": {"type": "function_call_output", "call_id": call_id,
                                            "output": text.words(rnd.choice([300, 2000, 8000]))}}))
            lines.append(J({"timestamp": iso(t), "type": "response_item",
                            "payload": {"type": "message", "role": "assistant",
                                        "content": [{"type": "output_text", "text": text.words(rnd.randint(50, 1500))}]}}))
            t += timedelta(minutes=rnd.randint(1, 20))
        name = f"rollout-{start.strftime('%Y-%m-%dT%H-%M-%S')}-{sid}.jsonl"
        data = "\n".join(lines) + "\n"
        with open(os.path.join(d, name), "w") as f:
            f.write(data)
        written += len(data)
        n += 1
    return n, written


# ---------------------------------------------------------------- Gemini CLI
def write_gemini(rnd, text, home, budget):
    written = 0
    n = 0
    while written < budget:
        start = END - timedelta(days=rnd.random() * DAYS)
        project = f"proj-{rnd.randint(0, 7)}"
        d = os.path.join(home, ".gemini", "tmp", project, "chats")
        os.makedirs(d, exist_ok=True)
        root = os.path.join(home, ".gemini", "tmp", project, ".project_root")
        if not os.path.exists(root):
            with open(root, "w") as f:
                f.write(f"/home/dev/work/{project}\n")
        sid = uid(rnd)
        t = start
        lines = [J({"sessionId": sid, "projectHash": hexid(rnd, 64), "startTime": iso(t), "lastUpdated": iso(t), "kind": "main"})]
        model = rnd.choice(["gemini-2.5-pro", "gemini-2.5-flash"])
        for turn in range(rnd.randint(2, 20)):
            lines.append(J({"id": uid(rnd), "timestamp": iso(t), "type": "user", "content": [{"text": text.words(rnd.randint(20, 400))}]}))
            lines.append(J({"$set": {"lastUpdated": iso(t)}}))
            for step in range(rnd.randint(1, 4)):
                t += timedelta(seconds=rnd.randint(2, 30))
                mid = hexid(rnd, 32)
                inp = rnd.randint(2000, 80000)
                cached = int(inp * rnd.uniform(0.0, 0.9))
                out = rnd.randint(5, 1500)
                thoughts = rnd.randint(0, 800) if rnd.random() < 0.6 else 0
                final = {"input": inp, "output": out, "cached": cached, "thoughts": thoughts, "tool": 0,
                         "total": inp + out + thoughts}
                first = dict(final, output=min(out, rnd.randint(1, 5)), thoughts=0, total=inp + 1)
                msg = {"id": mid, "timestamp": iso(t), "type": "gemini", "content": "", "thoughts": [], "tokens": first, "model": model}
                lines.append(J(msg))  # written as the response starts...
                lines.append(J({"$set": {"lastUpdated": iso(t)}}))
                msg2 = dict(msg, content=text.words(rnd.randint(40, 2000)), tokens=final)
                if rnd.random() < 0.5:
                    msg2["toolCalls"] = [{"id": "read_file_" + hexid(rnd, 8), "name": "read_file", "args": {"file_path": "a.txt"},
                                          "result": [{"functionResponse": {"name": "read_file", "response": {"output": text.words(rnd.randint(100, 4000))}}}],
                                          "status": "success", "timestamp": iso(t)}]
                lines.append(J(msg2))  # ...and rewritten with the same id when complete
            t += timedelta(minutes=rnd.randint(1, 20))
        name = f"session-{start.strftime('%Y-%m-%dT%H-%M')}-{sid[:8]}.jsonl"
        data = "\n".join(lines) + "\n"
        with open(os.path.join(d, name), "w") as f:
            f.write(data)
        written += len(data)
        n += 1
    return n, written


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=int, default=450, help="total size in MB (85% Claude, 12% Codex, 3% Gemini)")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    text = Text(rnd)
    total = a.mb * 1_000_000
    for tool, share, fn in (("claude", 0.85, write_claude), ("codex", 0.12, write_codex), ("gemini", 0.03, write_gemini)):
        n, size = fn(rnd, text, a.out, int(total * share))
        print(f"{tool}: {n} sessions, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
