import { describe, expect, it } from 'vitest';
import { parseChineseDigits, parseChineseNumeral } from '../../shared/values/index.ts';

describe('parseChineseNumeral', () => {
  it.each<[string, number]>([
    ['零', 0],
    ['〇', 0],
    ['一', 1],
    ['两', 2],
    ['十', 10],
    ['十二', 12],
    ['一十二', 12],
    ['二十', 20],
    ['二十五', 25],
    ['九十九', 99],
    ['一百', 100],
    ['一百零五', 105],
    ['一百〇五', 105],
    ['一百一十', 110],
    ['一百五', 150],
    ['两百', 200],
    ['三千', 3000],
    ['一千零五', 1005],
    ['一千零五十', 1050],
    ['一千二', 1200],
    ['九千九百九十九', 9999],
    ['一万', 10000],
    ['一万零五', 10005],
    ['一万零五百', 10500],
    ['一万五', 15000],
    ['两万五', 25000],
    ['两万五千', 25000],
    ['十万', 100000],
    ['十万零一十', 100010],
    ['十二万', 120000],
    ['一百万', 1000000],
    ['三千万', 30000000],
    ['一亿', 100000000],
    ['三亿五', 350000000],
    ['三亿五千万', 350000000],
    ['一亿零五万', 100050000],
    ['一亿零五', 100000005],
    ['壹佰零伍', 105],
    ['贰拾', 20],
    ['叁仟', 3000],
    ['兩萬伍仟', 25000],
    ['貳拾', 20],
    ['陸佰', 600],
    ['拾', 10],
    ['壹億', 100000000],
    [' 十二 ', 12],
  ])('%s = %d', (s, n) => {
    expect(parseChineseNumeral(s)).toBe(n);
  });

  it.each([
    '',
    '三四', // 3 or 4: an estimate
    '一两',
    '二〇二四', // digit by digit: a year, not a quantity
    '百',
    '千',
    '万',
    '一百十', // 110 is 一百一十
    '一千五十', // skipped place without 零
    '一千零五百', // 零 that skips nothing
    '一百零',
    '零五',
    '一万五百',
    '一万万',
    '十十',
    '五零',
    '一亿亿',
    '二十来',
    '12',
    '2万',
    '十二次',
  ])('rejects %j', (s) => {
    expect(parseChineseNumeral(s)).toBeUndefined();
  });
});

describe('parseChineseDigits', () => {
  it.each<[string, number | undefined]>([
    ['二〇二四', 2024],
    ['二零二四', 2024],
    ['一九四九', 1949],
    ['二十', undefined],
    ['', undefined],
  ])('%s → %s', (s, n) => {
    expect(parseChineseDigits(s)).toBe(n);
  });
});
