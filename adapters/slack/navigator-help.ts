import type { Answer, Navigator } from '../../src/index.js';
import { truncatePlain } from './mrkdwn.js';

/**
 * The core's own help answer (what an empty question returns) and its example questions, reused
 * for `/navigator help` and for suggested prompts, so the adapter keeps no copy of either.
 */
export class NavigatorHelp {
  private help: Promise<Answer> | undefined;

  constructor(private readonly navigator: Navigator) {}

  answer(): Promise<Answer> {
    this.help ??= this.navigator.ask({ text: '' }).catch((error: unknown) => {
      this.help = undefined;
      throw error;
    });
    return this.help;
  }

  /** Up to four prompts for assistant.threads.setSuggestedPrompts. */
  async suggestedPrompts(): Promise<{ title: string; message: string }[]> {
    const help = await this.answer();
    return help.followUps
      .slice(0, 4)
      .map((question) => ({ title: truncatePlain(question, 60), message: question }));
  }
}
