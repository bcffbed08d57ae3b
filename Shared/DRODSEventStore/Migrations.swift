import DRODSCore

/// One schema change. `schema_migrations` records it, so `apply` runs it once per database.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// Versioned schema migrations, applied at service start. Every service runs them. An
/// advisory lock taken for the migration transaction makes concurrent starts wait for each
/// other, and the `schema_migrations` table makes a second run a no-op.
public enum Migrations {
    /// Advisory lock key that serialises migration runs ("DRODSMIG" in ASCII).
    static let lockKey: Int64 = 0x4452_4F44_534D_4947

    public static let all: [Migration] = [
        Migration(version: 1, name: "event_log", sql: """
            CREATE TABLE event_log (
                seq            bigserial PRIMARY KEY,
                event_id       uuid        NOT NULL UNIQUE,
                stream_id      text        NOT NULL,
                stream_version integer     NOT NULL CHECK (stream_version > 0),
                type           text        NOT NULL,
                schema_version integer     NOT NULL DEFAULT 1,
                data           jsonb       NOT NULL,
                metadata       jsonb       NOT NULL,
                tx_id          xid8        NOT NULL DEFAULT pg_current_xact_id(),
                recorded_at    timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT event_log_stream_version_key UNIQUE (stream_id, stream_version)
            );
            CREATE INDEX event_log_tail_idx ON event_log (tx_id, seq);
            CREATE INDEX event_log_recorded_at_idx ON event_log (recorded_at);

            -- The log is append-only: the database rejects changes to stored events, whoever
            -- asks, in addition to the revoked privileges below.
            CREATE FUNCTION event_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'event_log is append-only: % is not allowed', TG_OP
                    USING ERRCODE = 'P0001';
            END;
            $$;
            CREATE TRIGGER event_log_no_update_delete BEFORE UPDATE OR DELETE ON event_log
                FOR EACH ROW EXECUTE FUNCTION event_log_reject_change();
            CREATE TRIGGER event_log_no_truncate BEFORE TRUNCATE ON event_log
                FOR EACH STATEMENT EXECUTE FUNCTION event_log_reject_change();
            REVOKE UPDATE, DELETE, TRUNCATE ON event_log FROM PUBLIC;

            CREATE TABLE projection_checkpoints (
                name       text PRIMARY KEY,
                tx_id      xid8        NOT NULL,
                seq        bigint      NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        Migration(version: 2, name: "processed_commands", sql: """
            -- Commands an owner has handled, so a redelivered command is answered again
            -- without being applied twice.
            CREATE TABLE processed_commands (
                command_id   text PRIMARY KEY,
                owner        text        NOT NULL,
                reply        jsonb       NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        Migration(version: 3, name: "read_models", sql: """
            -- Current state of every resource the controller owns, projected from the log by
            -- the history service. Rebuilt by deleting its rows and its checkpoint.
            CREATE TABLE resources (
                kind       text        NOT NULL,
                key        text        NOT NULL,
                version    integer     NOT NULL,
                document   jsonb       NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (kind, key)
            );

            -- Every mutating API request, allowed or denied, as the gateway recorded it.
            CREATE TABLE audit_log (
                request_id  text PRIMARY KEY,
                occurred_at timestamptz NOT NULL,
                actor       text        NOT NULL,
                role        text,
                action      text        NOT NULL,
                resource    text        NOT NULL,
                outcome     text        NOT NULL,
                status      integer     NOT NULL,
                remote      text
            );
            CREATE INDEX audit_log_time_idx ON audit_log (occurred_at);

            -- Scheduling tasks with their latest state.
            CREATE TABLE bindings (
                binding_id text PRIMARY KEY,
                version    integer     NOT NULL,
                phase      text        NOT NULL,
                document   jsonb       NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );

            -- Every scheduling event, for GET /api/v1/history/schedules; seq pages.
            CREATE TABLE schedule_history (
                seq         bigint PRIMARY KEY,
                occurred_at timestamptz NOT NULL,
                binding_id  text        NOT NULL,
                event_type  text        NOT NULL,
                entry       jsonb       NOT NULL
            );
            CREATE INDEX schedule_history_time_idx ON schedule_history (occurred_at, seq);

            -- Failures and their resolutions, for GET /api/v1/history/failures.
            CREATE TABLE failure_history (
                seq         bigint PRIMARY KEY,
                occurred_at timestamptz NOT NULL,
                cluster     text        NOT NULL,
                event_type  text        NOT NULL,
                entry       jsonb       NOT NULL
            );
            CREATE INDEX failure_history_time_idx ON failure_history (occurred_at, seq);

            -- The monitor's live view: the last metrics report of each cluster.
            CREATE TABLE monitor_live (
                cluster     text PRIMARY KEY,
                report      jsonb            NOT NULL,
                water_level double precision NOT NULL,
                received_at timestamptz      NOT NULL
            );
            """),
        Migration(version: 4, name: "resource_views", sql: """
            -- The API representation of each resource, written by the projection, so that a
            -- list is served without decoding every document.
            ALTER TABLE resources ADD COLUMN view jsonb;
            UPDATE resources SET view = document;
            ALTER TABLE resources ALTER COLUMN view SET NOT NULL;
            """),
        Migration(version: 5, name: "works", sql: """
            -- The manifest each member cluster must run, per workload, for its agent to pull.
            CREATE TABLE works (
                cluster    text        NOT NULL,
                workload   text        NOT NULL,
                version    integer     NOT NULL,
                manifest   jsonb       NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (cluster, workload)
            );
            """),
        Migration(version: 6, name: "member_status", sql: """
            -- The last status each member cluster's agent reported per object, for binding status.
            CREATE TABLE member_status (
                cluster    text        NOT NULL,
                object_key text        NOT NULL,
                status     jsonb       NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (cluster, object_key)
            );
            """),
        Migration(version: 7, name: "cluster_health", sql: """
            -- Each cluster's status as its last health event set it, kept by name, so that a
            -- cluster registered or updated after that event shows it too.
            CREATE TABLE cluster_health (
                cluster    text PRIMARY KEY,
                status     jsonb       NOT NULL,
                updated_at timestamptz NOT NULL
            );
            """),
    ]

    /// Applies every migration the database lacks, in version order, in one transaction that
    /// also records them, so a failed migration leaves no partial schema behind. Returns the
    /// versions applied by this call.
    @discardableResult
    public static func apply(on connection: PQConnection, logger: Logger,
                             migrations: [Migration] = Migrations.all) throws -> [Int] {
        let applied = try connection.transaction { connection -> [Int] in
            // Taken before anything else, even the table creation: two concurrent
            // `CREATE TABLE IF NOT EXISTS` can otherwise both try to create it.
            try connection.query("SELECT pg_advisory_xact_lock($1)", [String(lockKey)])
            try connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let existing = Set(try connection.query("SELECT version FROM schema_migrations")
                .rows.compactMap { $0[0].flatMap(Int.init) })
            var applied: [Int] = []
            for migration in migrations.sorted(by: { $0.version < $1.version })
            where !existing.contains(migration.version) {
                try connection.execute(script: migration.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    [String(migration.version), migration.name])
                applied.append(migration.version)
            }
            return applied
        }
        for version in applied {
            let name = migrations.first { $0.version == version }?.name ?? ""
            logger.info("applied migration \(name)", [.migration: String(version)])
        }
        return applied
    }
}
