# interleave: deterministic
# Details of asyncio's streams: readexactly() and readuntil(), the end of
# the stream (read() returns b'', readexactly() raises
# IncompleteReadError with what it got), iterating over lines with
# `async for`, the loop's own socket calls (sock_accept, sock_recv,
# sock_sendall), and serve_forever() ending when the server is closed.
import asyncio
import socket

PORT = 50131

async def handle(reader, writer):
    head = await reader.readexactly(4)
    rest = await reader.readuntil(b";")
    lines = [line async for line in reader]
    print("server got", head, rest, lines)
    writer.write(b"1234")
    writer.write_eof()
    await writer.drain()
    writer.close()
    await writer.wait_closed()

async def low_level(loop):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", PORT + 1))
    listener.listen()
    listener.setblocking(False)

    async def echo_once():
        conn, _ = await loop.sock_accept(listener)
        data = await loop.sock_recv(conn, 100)
        await loop.sock_sendall(conn, data[::-1])
        conn.close()

    task = asyncio.create_task(echo_once())
    client = socket.socket()
    client.setblocking(False)
    await loop.sock_connect(client, ("127.0.0.1", PORT + 1))
    await loop.sock_sendall(client, b"stressed")
    print("low level:", await loop.sock_recv(client, 100))
    await task
    client.close()
    listener.close()

async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(handle, "127.0.0.1", PORT)
    forever = asyncio.create_task(server.serve_forever())
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(b"HEADbody;line one\nline two\nlast")
    writer.write_eof()
    print("client got", await reader.readexactly(2))
    try:
        await reader.readexactly(5)
    except asyncio.IncompleteReadError as e:
        print("IncompleteReadError:", e, "partial:", e.partial)
    print("at eof:", reader.at_eof(), await reader.read())
    writer.close()
    await writer.wait_closed()
    await low_level(loop)
    server.close()
    try:
        await forever
    except asyncio.CancelledError:
        print("serve_forever ended:", "cancelled")
    print("serving:", server.is_serving())

asyncio.run(main())
