/** The email queue's name and job payload, shared by producers (activities) and the processor. */
export const EMAIL_QUEUE = 'email';
export const EMAIL_JOB = 'send-email';

export interface EmailJobData {
  outboxId: string;
}
