// The default rulebook: the 42 articles of 农村基层党组织建设基本标准 and the 23 of 示范标准 (seed 001), as data.
// standards.json holds the articles and their requirements, inputs.json every input a check reads.
// Both are validated by test/rulebook; this module only assembles them.
import type { Article, InputDef, Requirement, Rulebook } from '../types.ts';
import standards from './standards.json' with { type: 'json' };
import inputs from './inputs.json' with { type: 'json' };

export const DEFAULT_RULEBOOK_ID = 'standards-2020';
export const DEFAULT_RULEBOOK_NAME = '农村基层党组织建设基本标准与示范标准（默认）';

// JSON imports are typed with `string` where the contract has literal unions (kind, op, per …);
// the shapes are checked field by field in test/rulebook/structure.test.ts.
const ARTICLES = standards as unknown as Article[];
const INPUTS = inputs as unknown as InputDef[];

/** A fresh copy of the default rulebook; callers (county overrides) may modify it freely. */
export function defaultRulebook(): Rulebook {
  return {
    id: DEFAULT_RULEBOOK_ID,
    name: DEFAULT_RULEBOOK_NAME,
    articles: structuredClone(ARTICLES),
    inputs: structuredClone(INPUTS),
  };
}

/** The requirement with the given id (e.g. `basic-18-b`) and the article it belongs to. */
export function findRequirement(
  rulebook: Rulebook,
  id: string,
): { article: Article; requirement: Requirement } | undefined {
  for (const article of rulebook.articles) {
    const requirement = article.requirements.find((r) => r.id === id);
    if (requirement) return { article, requirement };
  }
  return undefined;
}

/** The input definition with the given id (e.g. `activityArea`, `judge.basic.27`). */
export function findInput(rulebook: Rulebook, id: string): InputDef | undefined {
  return rulebook.inputs.find((i) => i.id === id);
}
