// Routes for /api/county — being built (issue 3).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const county = new Hono<AppEnv>();
