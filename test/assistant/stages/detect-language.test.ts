import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/assistant/stages/detect-language.js';

describe('detectLanguage', () => {
  it.each([
    ['Who has made benefits proactive?', 'en'],
    ['Any examples of participatory budgeting in Porto Alegre or Lisboa?', 'en'],
    ['Qui a rendu les prestations sociales proactives ?', 'fr'],
    ['¿Qué habilidades le faltan a mi equipo?', 'es'],
    ['Welche Methode passt zu einem Klimaziel?', 'de'],
    ['Quem tornou os benefícios proativos?', 'pt'],
    ['Chi ha reso proattive le prestazioni sociali?', 'it'],
    ['Welke vaardigheden mist mijn team?', 'nl'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it('says English for a single word it cannot judge', () => {
    expect(detectLanguage('foresight')).toBe('en');
  });
});
