// Routes for /api/submissions — being built (issue 3).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const submissions = new Hono<AppEnv>();
