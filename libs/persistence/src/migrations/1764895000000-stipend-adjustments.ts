import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R14 late corrections: a stipend payment is never edited. A correction after payment is an adjustment of its own
 * (signed fen, a reason, who and when, a reference for finance), append-only like the payment, and drawn on (or
 * given back to) the stipend line as a budget expense keyed `adjust:<adjustment id>`; only such an expense may be
 * negative. A client's Idempotency-Key makes a repeated request find the first adjustment.
 */
export class StipendAdjustments1764895000000 implements MigrationInterface {
  name = 'StipendAdjustments1764895000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stipend_adjustments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_id uuid NOT NULL REFERENCES stipend_payments(id),
        request_key text NOT NULL,
        reference text NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        budget_id uuid NOT NULL REFERENCES budgets(id),
        recorded_by_id uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stipend_adjustments_reference_once UNIQUE (reference),
        CONSTRAINT stipend_adjustments_request_once UNIQUE (payment_id, request_key)
      )`);
    await q.query(`CREATE INDEX stipend_adjustments_payment_idx ON stipend_adjustments (payment_id, created_at)`);
    await q.query(`CREATE TRIGGER stipend_adjustments_no_update BEFORE UPDATE OR DELETE ON stipend_adjustments FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await q.query(`CREATE TRIGGER stipend_adjustments_no_truncate BEFORE TRUNCATE ON stipend_adjustments FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    await q.query(`ALTER TABLE budget_expenses DROP CONSTRAINT budget_expenses_amount_fen_check`);
    await q.query(`ALTER TABLE budget_expenses ADD CONSTRAINT budget_expenses_amount_fen_check CHECK (amount_fen > 0 OR (amount_fen < 0 AND coalesce(payment_key LIKE 'adjust:%', false)))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE budget_expenses DROP CONSTRAINT budget_expenses_amount_fen_check`);
    await q.query(`ALTER TABLE budget_expenses ADD CONSTRAINT budget_expenses_amount_fen_check CHECK (amount_fen > 0) NOT VALID`);
    await q.query(`DROP TABLE IF EXISTS stipend_adjustments`);
  }
}
