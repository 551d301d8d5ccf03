import { describe, expect, it } from 'vitest';
import type { QaAnswer, QaQuestion } from './datasets.js';
import { eligibleForCuration, trackRecords } from './answers-eval.js';

const person = (id: string) => ({ id, name: id });
const answer = (id: number, author: string, date: string, accepted = false): QaAnswer => ({ id, author: person(author), date, score: 0, accepted, body: 'x' });
const question = (id: number, date: string, answers: QaAnswer[], vector: number[]): QaQuestion & { v: Float32Array } => ({
  id,
  title: `q${id}`,
  body: '',
  tags: [],
  asker: person('asker'),
  date,
  score: 0,
  linked_question_ids: [],
  answers,
  accepted_answer_id: answers.find((a) => a.accepted)?.id ?? null,
  v: Float32Array.from(vector),
});

describe('answers evaluation', () => {
  it('takes questions with two or more answers and an accepted one', () => {
    expect(eligibleForCuration(question(1, '2020-01-01', [answer(1, 'a', '2020-01-01', true), answer(2, 'b', '2020-01-02')], [1, 0]))).toBe(true);
    expect(eligibleForCuration(question(2, '2020-01-01', [answer(3, 'a', '2020-01-01', true)], [1, 0]))).toBe(false);
    expect(eligibleForCuration(question(3, '2020-01-01', [answer(4, 'a', '2020-01-01'), answer(5, 'b', '2020-01-01')], [1, 0]))).toBe(false);
  });

  it('counts only accepted answers on the nearest questions at least 30 days older (acceptance is not known sooner)', () => {
    const target = question(10, '2020-06-01', [], [1, 0]);
    const history = [
      question(1, '2020-01-01', [answer(1, 'alice', '2020-01-02', true), answer(2, 'bob', '2020-01-02')], [1, 0]),
      question(2, '2020-02-01', [answer(3, 'alice', '2020-02-02', true)], [0.9, 0.1]),
      question(3, '2020-03-01', [answer(4, 'carol', '2020-03-02', true)], [0, 1]), // far away
      question(4, '2020-05-02', [answer(5, 'dave', '2020-05-03', true)], [1, 0]), // exactly 30 days older: known
      question(5, '2020-05-03', [answer(6, 'erin', '2020-05-04', true)], [1, 0]), // 29 days: not known yet
      question(6, '2020-07-01', [answer(7, 'frank', '2020-07-02', true)], [1, 0]), // the future
      target,
    ];
    const records = trackRecords(target, history, (q) => (q as typeof target).v, 3);
    expect(Object.fromEntries(records)).toEqual({ alice: 2, dave: 1 });
    expect(Object.fromEntries(trackRecords(target, history, (q) => (q as typeof target).v, 4))).toEqual({ alice: 2, carol: 1, dave: 1 });
  });
});
