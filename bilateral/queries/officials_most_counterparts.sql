-- Officials who met the most different counterparts (named officials of other countries).
SELECT me.official_id, me.name, me.country,
       COUNT(DISTINCT other.official_id) AS counterparts,
       COUNT(DISTINCT me.meeting_id) AS meetings
FROM official_meetings me
JOIN official_meetings other
  ON other.meeting_id = me.meeting_id AND other.official_id <> me.official_id
 AND (other.country IS NULL OR me.country IS NULL OR other.country <> me.country)
GROUP BY me.official_id, me.name, me.country
ORDER BY counterparts DESC, meetings DESC, me.name
LIMIT 50
