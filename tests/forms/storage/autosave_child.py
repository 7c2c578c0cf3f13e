"""The crash test's child: forks workers that autosave answers until they are killed.

It imports Rapport once and then forks one worker per command read from stdin, so that
the test can kill fifty workers in a few seconds. Commands, one per line:
  save URL SUBMISSION_ID Q1,Q2,... START   autosave START+1, START+2, ... round the questions
  open URL                                 open (creating if needed) the database, then wait
  quit
Every line this process or its workers print is one os.write (atomic on a pipe):
  worker PID / saved QUESTION VALUE / opened / died PID
"""

from __future__ import annotations

import os
import sys
import time

from forms.storage import Store


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def autosave(url: str, submission_id: str, questions: list[str], start: int) -> None:
    store = Store.open(url)
    value = start
    while True:
        for question in questions:
            value += 1
            store.save_answer(submission_id, question, value)
            # Printed only once save_answer has returned: the answer must then be on disk.
            say(f"saved {question} {value}")


def work(command: list[str]) -> None:
    if command[0] == "save":
        autosave(command[1], command[2], command[3].split(","), int(command[4]))
    elif command[0] == "open":
        Store.open(command[1]).close()
        say("opened")
        # Wait to be killed, so that the test never signals a finished (reused) pid.
        time.sleep(600)


def main() -> None:
    while True:
        line = sys.stdin.readline()
        command = line.split()
        if not command or command[0] == "quit":
            return
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(command)
            except BaseException as error:
                say(f"error {type(error).__name__}: {error}")
                code = 1
            finally:
                os._exit(code)
        say(f"worker {pid}")
        os.waitpid(pid, 0)
        say(f"died {pid}")


if __name__ == "__main__":
    main()
