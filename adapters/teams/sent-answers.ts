// Teams' built-in feedback names only the bot message it is about (replyToId), and Teams keeps no copy:
// the bot must remember what each message answered. Kept in memory, newest 2,000; feedback on an older
// or pre-restart message is still recorded, without the question.

export interface SentAnswer {
  question: string;
  conversationId: string;
  citedIds: string[];
}

export class SentAnswers {
  private readonly answers = new Map<string, SentAnswer>();

  constructor(private readonly capacity = 2_000) {}

  remember(activityId: string, answer: SentAnswer): void {
    this.answers.delete(activityId);
    this.answers.set(activityId, answer);
    if (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value!);
  }

  recall(activityId: string | undefined): SentAnswer | undefined {
    return activityId ? this.answers.get(activityId) : undefined;
  }
}
