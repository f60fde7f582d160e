// Worker entry: the Hono app handles every request.
import { app } from './app.ts';

export default app;
