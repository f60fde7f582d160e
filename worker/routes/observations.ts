// Routes for /api/observations — being built (issue 3).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const observations = new Hono<AppEnv>();
