// Routes for /api/openapi — being built (issue 3).
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const openapi = new Hono<AppEnv>();
