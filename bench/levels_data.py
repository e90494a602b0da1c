"""Set-based SQL that generates ``bench/levels.py``'s province (no ORM): the unit tree, cases, timeline rows."""

from __future__ import annotations

from django.db import connection

CITIES, COUNTIES, STREETS, DEPARTMENTS = 20, 150, 8, 3
SPAN_DAYS = 3 * 365  # cases spread evenly over three years up to now


def sql(statement: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def build_units() -> None:
    """Province (root) → 20 cities → 150 counties → 8 streets + 3 departments each; ids from 1, set-based."""
    if sql("SELECT 1 FROM org_unit WHERE code = 'BENCH-P'"):
        return
    base = sql("SELECT COALESCE(max(id), 0) + 1 FROM org_unit")[0][0]
    per_county = 1 + STREETS + DEPARTMENTS
    sql(
        """
        CREATE TEMP TABLE bench_units AS
        SELECT %(b)s AS id, 'BENCH-P' AS code, '演示省' AS name, 'province' AS kind, NULL::bigint AS parent_id,
               '/' || %(b)s || '/' AS path, 0 AS depth
        UNION ALL
        SELECT %(b)s + c, 'BENCH-C' || c, '演示市' || c, 'city', %(b)s, '/' || %(b)s || '/' || (%(b)s + c) || '/', 1
        FROM generate_series(1, %(cities)s) c
        """,
        {"b": base, "cities": CITIES},
    )
    county0 = base + CITIES + 1
    sql(
        """
        INSERT INTO bench_units
        SELECT k.id, 'BENCH-K' || k.n, '演示县' || k.n, 'district', k.city,
               '/' || %(b)s || '/' || k.city || '/' || k.id || '/', 2
        FROM (SELECT %(k0)s + (n - 1) * %(per)s AS id, n, %(b)s + 1 + (n - 1) %% %(cities)s AS city
              FROM generate_series(1, %(counties)s) n) k;
        INSERT INTO bench_units
        SELECT k.id + s, 'BENCH-K' || k.n || '-' || s, CASE WHEN s <= %(streets)s THEN '演示街道' ELSE '演示部门' END
               || k.n || '-' || s, CASE WHEN s <= %(streets)s THEN 'street' ELSE 'department' END, k.id,
               k.path || (k.id + s) || '/', 3
        FROM (SELECT id, substr(code, 8) AS n, path FROM bench_units WHERE kind = 'district') k
        CROSS JOIN generate_series(1, %(subs)s) s;
        INSERT INTO org_unit (id, code, name, short_name, kind, path, depth, sort_order, contact_name,
                              contact_phone, is_active, created_at, updated_at, parent_id)
        SELECT id, code, name, '', kind, path, depth, 0, '', '', true, now(), now(), parent_id FROM bench_units;
        SELECT setval(pg_get_serial_sequence('org_unit', 'id'), (SELECT max(id) FROM org_unit));
        """,
        {"b": base, "k0": county0, "per": per_county, "cities": CITIES, "counties": COUNTIES,
         "streets": STREETS, "subs": STREETS + DEPARTMENTS},
    )  # fmt: skip


def insert_cases(lo: int, hi: int, total: int, leads: int) -> None:
    """Cases ``lo..hi``: reported evenly over the last three years, older ones mostly closed."""
    sql(
        """
        INSERT INTO cases_case (id, number, source, title, description, severity, route_reason, status,
            status_changed_at, version, deadline, deadline_days, deadline_reason, pending_request, deferral_plan,
            created_at, registered_at, dispatched_at, closed_at, sendback_count, return_count, misroute_count,
            is_rebound, escalation_level, external_ref, reporter_name, reporter_phone, timeline_head,
            unit_id, lead_unit_id, lng, lat)
        SELECT g, 'WB' || to_char(x.created, 'YYYY') || '-' || lpad(g::text, 9, '0'),
            (ARRAY['inspection','patrol','citizen','hotline','media','superior','self_check'])[1 + g %% 7],
            '基准问题' || g, '', 'normal', '基准数据：属地单位', x.status, x.created + interval '2 hours', 1,
            CASE WHEN x.status IN ('reported','registered','invalid') THEN NULL
                 ELSE (x.created + (3 + g %% 11) * interval '1 day')::date END,
            CASE WHEN x.status IN ('reported','registered','invalid') THEN NULL ELSE 7 END,
            '', '', '', x.created,
            CASE WHEN x.status = 'reported' THEN NULL ELSE x.created + interval '1 hour' END,
            CASE WHEN x.status IN ('reported','registered','invalid') THEN NULL ELSE x.created + interval '2 hours' END,
            CASE WHEN x.status = 'closed' THEN x.created + (1 + g %% 19) * interval '1 day' END,
            0, 0, 0, false,
            CASE WHEN x.status = 'rectifying' AND x.created < now() - interval '20 days' THEN 1 ELSE 0 END,
            '', '', '', '', l.street, l.lead, 117 + (g %% 1000) / 1000.0, 36 + (g %% 997) / 1000.0
        FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g
        CROSS JOIN LATERAL (
            SELECT now() - %(span)s * interval '1 day' * (1 - g::float8 / %(total)s) AS created,
                   (g * 40503) %% 100 AS roll
        ) r
        CROSS JOIN LATERAL (
            SELECT r.created,
                   CASE WHEN r.created < now() - interval '90 days' AND r.roll >= 3
                            THEN CASE WHEN r.roll < 5 THEN 'invalid' ELSE 'closed' END
                        WHEN r.roll < 60 THEN 'closed' WHEN r.roll < 75 THEN 'rectifying'
                        WHEN r.roll < 82 THEN 'dispatched' WHEN r.roll < 88 THEN 'signed'
                        WHEN r.roll < 93 THEN 'submitted' WHEN r.roll < 95 THEN 'registered'
                        WHEN r.roll < 97 THEN 'reported' WHEN r.roll < 98 THEN 'deferred' ELSE 'invalid' END AS status
        ) x
        JOIN bench_leads l ON l.idx = (g * 2654435761) %% %(leads)s
        """,
        {"lo": lo, "hi": hi, "total": total, "span": SPAN_DAYS, "leads": leads},
    )


def insert_timeline(lo: int, hi: int, per_case: int) -> None:
    """``per_case`` timeline rows for each case ``lo..hi``, three hours apart from its report."""
    sql(
        """
        INSERT INTO cases_casetransition (case_id, from_status, to_status, action, actor_label, at, note, data,
                                          prev_hash, hash, actor_unit_id)
        SELECT c.id, (ARRAY['','reported','registered','dispatched','signed','rectifying'])[least(k, 6)],
               (ARRAY['reported','registered','dispatched','signed','rectifying','submitted'])[least(k, 6)],
               (ARRAY['report','register','dispatch','sign','start','submit'])[least(k, 6)], '系统',
               c.created_at + (k - 1) * interval '3 hours', '', '{}',
               lpad(to_hex(c.id * 8 + k - 1), 64, 'e'), lpad(to_hex(c.id * 8 + k), 64, 'e'),
               c.lead_unit_id
        FROM cases_case c CROSS JOIN generate_series(1, %(per)s) k
        WHERE c.id BETWEEN %(lo)s AND %(hi)s
        """,
        {"lo": lo, "hi": hi, "per": per_case},
    )
