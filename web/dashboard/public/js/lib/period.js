// Words for the page's period, for captions such as "vs the previous 12 weeks".
import { currentPeriod } from './api.js';
import { formatDay } from './format.js';

const WORDS = { '4w': '4 weeks', '12w': '12 weeks', '26w': '26 weeks', '52w': '52 weeks' };

export function previousPeriodWords() {
  const words = WORDS[currentPeriod()];
  return words ? `the previous ${words}` : 'the period before';
}

export function rangeWords(range) {
  return `${formatDay(range.from)} – ${formatDay(range.to)}`;
}
