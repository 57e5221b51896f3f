// The comparison: a minimal Socket.IO server doing the same fan-out the plain way,
// a room per event and one emit per chat message (websocket transport only).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
let nextId = 1;

io.on('connection', (socket) => {
  const room = String(socket.handshake.query.event ?? 'bench');
  socket.join(room);
  socket.on('chat', (payload, ack) => {
    const message = { type: 'chat', id: nextId++, user_id: 0, user_name: 'bench', message: String(payload?.message ?? '') };
    io.to(room).emit('chat', message);
    if (typeof ack === 'function') ack({ type: 'ack', id: message.id });
  });
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.send?.({ port: http.address().port });
});
