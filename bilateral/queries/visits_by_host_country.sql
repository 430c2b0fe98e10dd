-- Visits that took place, by the country where they happened.
SELECT m.place_country AS host, COUNT(*) AS visits, MIN(m.date) AS first_date, MAX(m.date) AS last_date
FROM meetings m
WHERE m.kind = 'visit' AND m.status = 'occurred' AND m.place_country IS NOT NULL
GROUP BY m.place_country
ORDER BY visits DESC, host
