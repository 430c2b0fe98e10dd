-- One country's partners by number of events (run with -p country IRN).
SELECT CASE WHEN country_a = :country THEN country_b ELSE country_a END AS partner,
       COUNT(*) AS events,
       MIN(date) AS first_date,
       MAX(date) AS last_date
FROM dyad_events
WHERE country_a = :country OR country_b = :country
GROUP BY CASE WHEN country_a = :country THEN country_b ELSE country_a END
ORDER BY events DESC, partner
