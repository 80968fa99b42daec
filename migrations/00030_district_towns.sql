-- +goose Up
-- District towns (issue 16): "Siegburg" finds the initiatives working in the
-- Rhein-Sieg-Kreis, "Eisenach" those in the Wartburgkreis. districts.places
-- holds the other place names that stand for a district: the seat of its
-- administration (Kreisstadt) where the district's name does not already
-- say it, and towns that were merged into it. Seats that are themselves a
-- kreisfreie Stadt (Heidelberg for the Rhein-Neckar-Kreis, Ulm for the
-- Alb-Donau-Kreis …) are left out: their name finds the city. The names
-- are the towns' short names without qualifiers such as "(Hessen)" or
-- "in Oberbayern", which would otherwise find a whole region.
-- Compiled by hand from the official seats of the Landkreise (as in
-- Destatis' Gemeindeverzeichnis GV-ISys, 2021); check it when districts change.
ALTER TABLE districts ADD COLUMN places text NOT NULL DEFAULT '';

UPDATE districts d SET places = v.places FROM (VALUES
	('01051', 'Heide'),
	('01053', 'Ratzeburg'),
	('01054', 'Husum'),
	('01055', 'Eutin'),
	('01061', 'Itzehoe'),
	('01062', 'Bad Oldesloe'),
	('03257', 'Stadthagen'),
	('03353', 'Winsen'),
	('03356', 'Osterholz-Scharmbeck'),
	('03358', 'Bad Fallingbostel'),
	('03451', 'Westerstede'),
	('03454', 'Meppen'),
	('03455', 'Jever'),
	('03456', 'Nordhorn'),
	('03458', 'Wildeshausen'),
	('03461', 'Brake'),
	('05362', 'Bergheim'),
	('05374', 'Gummersbach'),
	('05378', 'Bergisch Gladbach'),
	('05382', 'Siegburg'),
	('05766', 'Detmold'),
	('05954', 'Schwelm'),
	('05958', 'Meschede'),
	('05962', 'Lüdenscheid'),
	('06431', 'Heppenheim'),
	('06434', 'Bad Homburg'),
	('06435', 'Gelnhausen'),
	('06436', 'Hofheim'),
	('06437', 'Erbach'),
	('06438', 'Dietzenbach'),
	('06439', 'Bad Schwalbach'),
	('06440', 'Friedberg'),
	('06532', 'Wetzlar'),
	('06535', 'Lauterbach'),
	('06632', 'Bad Hersfeld'),
	('06634', 'Homberg'),
	('06635', 'Korbach'),
	('06636', 'Eschwege'),
	('07131', 'Bad Neuenahr-Ahrweiler'),
	('07140', 'Simmern'),
	('07141', 'Bad Ems'),
	('07143', 'Montabaur'),
	('07233', 'Daun'),
	('07333', 'Kirchheimbolanden'),
	('07339', 'Ingelheim'),
	('08119', 'Waiblingen'),
	('08126', 'Künzelsau'),
	('08128', 'Tauberbischofsheim'),
	('08136', 'Aalen'),
	('08225', 'Mosbach'),
	('08317', 'Offenburg'),
	('08326', 'Villingen-Schwenningen'),
	('08337', 'Waldshut-Tiengen'),
	('08417', 'Balingen'),
	('08435', 'Friedrichshafen'),
	('09172', 'Bad Reichenhall'),
	('09190', 'Weilheim'),
	('09272', 'Freyung'),
	('09277', 'Pfarrkirchen'),
	('09573', 'Zirndorf'),
	('09574', 'Lauf an der Pegnitz'),
	('09673', 'Bad Neustadt'),
	('09674', 'Haßfurt'),
	('09677', 'Karlstadt'),
	('09777', 'Marktoberdorf'),
	('09778', 'Mindelheim'),
	('09779', 'Donauwörth'),
	('09780', 'Sonthofen'),
	('10045', 'Homburg'),
	('12060', 'Eberswalde'),
	('12061', 'Lübben'),
	('12062', 'Herzberg'),
	('12063', 'Rathenow'),
	('12064', 'Seelow'),
	('12065', 'Oranienburg'),
	('12066', 'Senftenberg'),
	('12067', 'Beeskow'),
	('12068', 'Neuruppin'),
	('12069', 'Bad Belzig'),
	('12070', 'Perleberg'),
	('12071', 'Forst'),
	('12072', 'Luckenwalde'),
	('12073', 'Prenzlau'),
	('13071', 'Neubrandenburg'),
	('13072', 'Güstrow'),
	('13073', 'Stralsund'),
	('13074', 'Wismar'),
	('14521', 'Annaberg-Buchholz'),
	('14522', 'Freiberg'),
	('14523', 'Plauen'),
	('14628', 'Pirna'),
	('14729', 'Borna'),
	('14730', 'Torgau'),
	('15082', 'Köthen'),
	('15083', 'Haldensleben'),
	('15084', 'Naumburg'),
	('15085', 'Halberstadt'),
	('15086', 'Burg'),
	('15087', 'Sangerhausen'),
	('15088', 'Merseburg'),
	('15089', 'Bernburg'),
	('16061', 'Heilbad Heiligenstadt'),
	('16063', 'Bad Salzungen Eisenach'),
	('16064', 'Mühlhausen'),
	('16065', 'Sondershausen'),
	('16070', 'Arnstadt'),
	('16071', 'Apolda'),
	('16074', 'Eisenberg'),
	('16075', 'Schleiz'),
	('16077', 'Altenburg')
) v (ags, places) WHERE d.ags = v.ags;

-- The facet text of an initiative (00021) names its districts' places too.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rii_facet_text(ids bigint[]) RETURNS TABLE (initiative bigint, words text)
LANGUAGE sql STABLE AS $$
	SELECT n, coalesce(string_agg(l.w, ' ' ORDER BY l.w), '')
	FROM unnest(ids) n LEFT JOIN (
		SELECT x.initiative_id, s.name FROM initiative_districts x JOIN states s ON s.code = left(x.ags, 2)
			WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, concat_ws(' ', d.kind, d.display_name, d.name, d.places)
			FROM initiative_districts x JOIN districts d ON d.ags = x.ags WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, t.name FROM initiative_topics x JOIN topics t ON t.slug = x.topic
			WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, t.name FROM initiative_sectors x JOIN sectors t ON t.slug = x.sector
			WHERE x.initiative_id = ANY (ids)
	) l (initiative_id, w) ON l.initiative_id = n
	GROUP BY n
$$;
-- +goose StatementEnd

UPDATE initiatives i SET facet_text = t.words FROM rii_facet_text(ARRAY(SELECT id FROM initiatives)) t
WHERE i.id = t.initiative AND i.facet_text IS DISTINCT FROM t.words;

-- The typo-tolerant search knows the towns' names ("Siegbrug" → Siegburg).
INSERT INTO search_words AS s (word, shown)
SELECT DISTINCT ON (f.word) f.word, f.shown FROM districts d, rii_title_forms(d.places) f
WHERE d.valid_until IS NULL AND d.places <> ''
ORDER BY f.word, f.shown
ON CONFLICT (word) DO UPDATE SET shown = EXCLUDED.shown WHERE s.shown IS NULL;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION rii_facet_text(ids bigint[]) RETURNS TABLE (initiative bigint, words text)
LANGUAGE sql STABLE AS $$
	SELECT n, coalesce(string_agg(l.w, ' ' ORDER BY l.w), '')
	FROM unnest(ids) n LEFT JOIN (
		SELECT x.initiative_id, s.name FROM initiative_districts x JOIN states s ON s.code = left(x.ags, 2)
			WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, concat_ws(' ', d.kind, d.display_name, d.name)
			FROM initiative_districts x JOIN districts d ON d.ags = x.ags WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, t.name FROM initiative_topics x JOIN topics t ON t.slug = x.topic
			WHERE x.initiative_id = ANY (ids)
		UNION
		SELECT x.initiative_id, t.name FROM initiative_sectors x JOIN sectors t ON t.slug = x.sector
			WHERE x.initiative_id = ANY (ids)
	) l (initiative_id, w) ON l.initiative_id = n
	GROUP BY n
$$;
-- +goose StatementEnd
UPDATE initiatives i SET facet_text = t.words FROM rii_facet_text(ARRAY(SELECT id FROM initiatives)) t
WHERE i.id = t.initiative AND i.facet_text IS DISTINCT FROM t.words;
ALTER TABLE districts DROP COLUMN places;
