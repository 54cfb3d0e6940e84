package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// NotifyChannel is the channel the change triggers notify on.
const NotifyChannel = "fireplan_data"

// sqlSignature fingerprints one table, %[1]s quoted and $1 its name: its
// row count, the sum of its row versions (xmin changes with every insert
// and update, the count with every delete) and its columns by name and
// type, so that an edit, a truncate or a renamed column each change it.
const sqlSignature = `
SELECT count(*)::text || '/' || coalesce(sum(t.xmin::text::bigint), 0)::text || '/' || (` + sqlColumnList + `)
FROM %[1]s t`

// sqlSignatureView is sqlSignature for a view or foreign table, which has
// no row versions: its rows' text is hashed instead, which reads every
// value but sees through to the tables behind it.
const sqlSignatureView = `
SELECT count(*)::text || '/' || coalesce(sum(hashtext(t::text)::bigint), 0)::text || '/' || (` + sqlColumnList + `)
FROM %[1]s t`

const sqlColumnList = `SELECT string_agg(attname || ':' || atttypid::regtype::text, ',' ORDER BY attnum)
  FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`

// Table is one table the config reads.
type Table struct {
	Layer, Schema, Name string
}

// Quoted is the table's name as SQL takes it.
func (t Table) Quoted() string { return pgx.Identifier{t.Schema, t.Name}.Sanitize() }

// Tables returns the tables the config reads, layer by layer; absent
// layers have none.
func (c *Config) Tables() []Table {
	var out []Table
	for _, l := range LayerNames() {
		if tc := c.Layer(l); tc != nil {
			out = append(out, Table{Layer: l, Schema: tc.Schema, Name: tc.Table})
		}
	}
	return out
}

// Signature fingerprints the content and columns of every table cfg reads.
// It changes with any insert, update, delete or truncate and any column
// added, dropped, renamed or retyped; a table gone is an error naming it.
// A plain table costs one scan of its row versions (no values are read).
func Signature(ctx context.Context, pool *pgxpool.Pool, cfg *Config) (string, error) {
	h := sha256.New()
	var errs []error
	for _, t := range cfg.Tables() {
		var kind string
		err := pool.QueryRow(ctx, `SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)`, t.Quoted()).Scan(&kind)
		if errors.Is(err, pgx.ErrNoRows) {
			errs = append(errs, fmt.Errorf("layer %s: table %s is gone", t.Layer, t.Quoted()))
			continue
		}
		if err != nil {
			return "", fmt.Errorf("layer %s: %w", t.Layer, err)
		}
		q := sqlSignature
		if kind != "r" && kind != "p" {
			q = sqlSignatureView
		}
		var sig string
		if err := pool.QueryRow(ctx, fmt.Sprintf(q, t.Quoted()), t.Quoted()).Scan(&sig); err != nil {
			return "", fmt.Errorf("layer %s: signature of %s: %w", t.Layer, t.Quoted(), err)
		}
		fmt.Fprintf(h, "%s=%s\n", t.Quoted(), sig)
	}
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// sqlNotifyFunction notifies NotifyChannel with the table changed.
const sqlNotifyFunction = `
CREATE OR REPLACE FUNCTION fireplan_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('` + NotifyChannel + `', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
  RETURN NULL;
END $$`

// InstallTriggers adds a statement trigger to every plain table cfg reads
// that notifies NotifyChannel after any insert, update, delete or
// truncate, so a server listening reloads within a second of a commit.
// Views are skipped and named in the error (their tables need triggers of
// their own); everything else is installed in one transaction.
func InstallTriggers(ctx context.Context, pool *pgxpool.Pool, cfg *Config) ([]Table, error) {
	return triggers(ctx, pool, cfg, true)
}

// RemoveTriggers drops what InstallTriggers added.
func RemoveTriggers(ctx context.Context, pool *pgxpool.Pool, cfg *Config) ([]Table, error) {
	return triggers(ctx, pool, cfg, false)
}

func triggers(ctx context.Context, pool *pgxpool.Pool, cfg *Config, install bool) ([]Table, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	if install {
		if _, err := tx.Exec(ctx, sqlNotifyFunction); err != nil {
			return nil, fmt.Errorf("creating fireplan_notify(): %w", err)
		}
	}
	var done []Table
	var skipped []string
	seen := map[string]bool{}
	for _, t := range cfg.Tables() {
		if seen[t.Quoted()] {
			continue // two layers from one table
		}
		seen[t.Quoted()] = true
		var kind string
		if err := tx.QueryRow(ctx, `SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)`, t.Quoted()).Scan(&kind); err != nil {
			return nil, fmt.Errorf("layer %s: table %s: %w", t.Layer, t.Quoted(), err)
		}
		if kind != "r" && kind != "p" {
			skipped = append(skipped, fmt.Sprintf("%s (layer %s)", t.Quoted(), t.Layer))
			continue
		}
		stmt := "DROP TRIGGER IF EXISTS fireplan_notify ON " + t.Quoted()
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return nil, fmt.Errorf("layer %s: %w", t.Layer, err)
		}
		if install {
			for _, s := range []string{
				"CREATE TRIGGER fireplan_notify AFTER INSERT OR UPDATE OR DELETE ON " + t.Quoted() + " FOR EACH STATEMENT EXECUTE FUNCTION fireplan_notify()",
				"CREATE TRIGGER fireplan_notify_truncate AFTER TRUNCATE ON " + t.Quoted() + " FOR EACH STATEMENT EXECUTE FUNCTION fireplan_notify()",
			} {
				if _, err := tx.Exec(ctx, s); err != nil {
					return nil, fmt.Errorf("layer %s: %w", t.Layer, err)
				}
			}
		} else if _, err := tx.Exec(ctx, "DROP TRIGGER IF EXISTS fireplan_notify_truncate ON "+t.Quoted()); err != nil {
			return nil, fmt.Errorf("layer %s: %w", t.Layer, err)
		}
		done = append(done, t)
	}
	if !install {
		if _, err := tx.Exec(ctx, "DROP FUNCTION IF EXISTS fireplan_notify()"); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	if len(skipped) > 0 {
		return done, fmt.Errorf("not plain tables, no trigger (put triggers on the tables behind them): %s", strings.Join(skipped, ", "))
	}
	return done, nil
}

// Listen waits for change notifications on a connection of its own, calls
// ready once listening and changed for each notification, until ctx ends
// or the connection fails (the error says which; the caller reconnects).
func Listen(ctx context.Context, url string, ready func(), changed func(table string)) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return err
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		changed(n.Payload)
	}
}
