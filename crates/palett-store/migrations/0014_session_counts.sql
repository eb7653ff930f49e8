-- Attendance counts kept on each session, written in the same transaction
-- as the attendance itself, so that reports over millions of attendance
-- rows sum one row per session instead.
ALTER TABLE group_sessions ADD COLUMN present_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE group_sessions ADD COLUMN notice_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE group_sessions ADD COLUMN absent_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE group_sessions ADD COLUMN present_minutes BIGINT NOT NULL DEFAULT 0;
UPDATE group_sessions SET
    present_count = (SELECT COUNT(*) FROM attendance a WHERE a.session_id = group_sessions.id AND a.status = 'present'),
    notice_count = (SELECT COUNT(*) FROM attendance a WHERE a.session_id = group_sessions.id AND a.status = 'absent_notice'),
    absent_count = (SELECT COUNT(*) FROM attendance a WHERE a.session_id = group_sessions.id AND a.status = 'absent'),
    present_minutes = COALESCE((SELECT SUM(a.minutes) FROM attendance a WHERE a.session_id = group_sessions.id AND a.status = 'present'), 0);
