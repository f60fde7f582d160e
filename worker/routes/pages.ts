// Routes for /api/pages — being built (issue 3).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const pages = new Hono<AppEnv>();
