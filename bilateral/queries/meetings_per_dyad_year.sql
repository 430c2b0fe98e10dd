-- Meetings, calls and visits that took place, per pair of countries and year.
SELECT year, country_a, country_b,
       SUM(CASE WHEN kind = 'meeting' THEN 1 ELSE 0 END) AS meetings,
       SUM(CASE WHEN kind = 'call' THEN 1 ELSE 0 END) AS calls,
       SUM(CASE WHEN kind = 'visit' THEN 1 ELSE 0 END) AS visits
FROM dyad_events
WHERE event = 'meeting' AND status = 'occurred' AND year IS NOT NULL
GROUP BY year, country_a, country_b
ORDER BY year, country_a, country_b
