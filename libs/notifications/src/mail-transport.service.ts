import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@app/config';

/** One pooled SMTP transport per process (MailDev locally, a real relay through SMTP_URL in production). */
@Injectable()
export class MailTransportService implements OnApplicationShutdown {
  private readonly transporter: Transporter;
  readonly from: string;

  constructor(@Inject(APP_CONFIG) cfg: AppConfig) {
    this.transporter = nodemailer.createTransport({ ...urlToOptions(cfg.smtpUrl), pool: true, maxConnections: 5 });
    this.from = cfg.mailFrom;
  }

  async send(msg: { to: string; subject: string; text: string; html: string; messageId: string }): Promise<void> {
    await this.transporter.sendMail({ from: this.from, ...msg });
  }

  async verify(): Promise<void> {
    await this.transporter.verify();
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

function urlToOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // Loopback catchers speak plain SMTP; real relays negotiate STARTTLS.
    ignoreTLS: ['127.0.0.1', 'localhost', '::1'].includes(u.hostname),
    connectionTimeout: 10_000,
  };
}
