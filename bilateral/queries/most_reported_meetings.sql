-- Meetings reported by the most articles (the best-attested events).
SELECT m.id AS meeting_id, m.kind, m.date, COUNT(s.article_id) AS sources
FROM meetings m
JOIN meeting_sources s ON s.meeting_id = m.id
GROUP BY m.id, m.kind, m.date
ORDER BY sources DESC, m.id
LIMIT 50
