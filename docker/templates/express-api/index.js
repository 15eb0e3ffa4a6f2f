import express from 'express';

const app = express();
app.use(express.json());

// A tiny in-memory resource to start from; replace it with your own.
const todos = [{ id: 1, title: 'Try the API', done: false }];

app.get('/', (req, res) => res.json({ message: 'Hello from Express', endpoints: ['/api/health', '/api/todos'] }));
app.get('/api/health', (req, res) => res.json({ status: 'ok', uptime: process.uptime() }));
app.get('/api/todos', (req, res) => res.json(todos));
app.post('/api/todos', (req, res) => {
  const title = typeof req.body?.title === 'string' ? req.body.title.trim() : '';
  if (!title) return res.status(400).json({ error: 'title is required' });
  const todo = { id: todos.length + 1, title, done: false };
  todos.push(todo);
  res.status(201).json(todo);
});

const port = Number(process.env.PORT) || 3000;
// Any address works for Berth's preview (it connects to 127.0.0.1 inside the container);
// 0.0.0.0 also lets tools on the container's network reach it.
app.listen(port, '0.0.0.0', () => console.log(`API listening on http://localhost:${port}`));
