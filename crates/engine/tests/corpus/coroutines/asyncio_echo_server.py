# interleave: deterministic
# An asyncio echo server: start_server() calls handle() in a new task for
# every connection, with a StreamReader and a StreamWriter. An await on
# readline() that has no line yet gives the loop back, and the loop waits
# for every socket at once (epoll, in CPython), so one thread serves all
# the clients. The three clients run as tasks of the same loop.
import asyncio

async def handle(reader, writer):
    addr = writer.get_extra_info("peername")
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line.upper())
        await writer.drain()
    print("server: client done")
    writer.close()
    await writer.wait_closed()

async def client(name):
    reader, writer = await asyncio.open_connection("127.0.0.1", 50130)
    replies = []
    for word in ["hi", "bye"]:
        writer.write((word + " from " + name + "\n").encode())
        await writer.drain()
        replies.append((await reader.readline()).decode().strip())
    writer.close()
    await writer.wait_closed()
    return replies

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 50130)
    print("serving on", server.sockets[0].getsockname())
    async with server:
        results = await asyncio.gather(*(client(n) for n in ["ann", "bob", "cy"]))
    for r in results:
        print(r)
    try:
        await asyncio.open_connection("127.0.0.1", 50130)
    except ConnectionRefusedError as e:
        print("after close:", e)

asyncio.run(main())
