/** The cards this terminal read lately, offered as one-tap chips (the demo has no real reader). */
const RECENT_CARDS = 'shikaku.reception.cards';

export function recentCards(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(RECENT_CARDS) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberCard(cardId: string): void {
  const next = [cardId, ...recentCards().filter((c) => c !== cardId)].slice(0, 8);
  localStorage.setItem(RECENT_CARDS, JSON.stringify(next));
}
