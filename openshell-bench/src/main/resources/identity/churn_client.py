# A client that churns connections like the proxy benchmark's rate test: WORKERS asyncio tasks in
# one process, each opening a connection, sending a line, waiting for one byte and closing, again
# and again until TOTAL connections were made. Prints "done N" when finished.
import asyncio
import sys

HOST, PORT, WORKERS, TOTAL = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


async def worker(state):
    while state["started"] < TOTAL:
        state["started"] += 1
        reader, writer = await asyncio.open_connection(HOST, PORT)
        try:
            writer.write(b"hello\n")
            if await reader.read(1) == b"":
                state["refused"] += 1
        except ConnectionError:
            state["refused"] += 1
        finally:
            writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass


async def main():
    state = {"started": 0, "refused": 0}
    await asyncio.gather(*(worker(state) for _ in range(WORKERS)))
    print("done", state["started"], "refused", state["refused"], flush=True)


asyncio.run(main())
