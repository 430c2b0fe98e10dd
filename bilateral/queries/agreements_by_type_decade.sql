-- Agreements by type and decade, with how many were signed.
SELECT (year / 10) * 10 AS decade, type,
       COUNT(*) AS agreements,
       SUM(CASE WHEN status = 'signed' THEN 1 ELSE 0 END) AS signed
FROM events
WHERE event = 'agreement' AND year IS NOT NULL
GROUP BY (year / 10) * 10, type
ORDER BY decade, type
