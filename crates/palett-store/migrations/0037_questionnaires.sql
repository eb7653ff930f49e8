-- Questionnaires (issue 15): versioned instruments, the waves a project
-- schedules them in, and her answers, each pointing to the version she
-- answered.

-- An instrument of a partnership, by its name (XLSForm's form_id). `builtin`
-- names the one palett keeps its six-item self-assessment in.
CREATE TABLE instruments (
    id {id},
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    name TEXT NOT NULL,
    builtin TEXT,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX instruments_name ON instruments (partnership_id, name);

-- Its versions: the definition as JSON (the domain's `Instrument`). A draft
-- may be replaced; once published (published_at set) a version never
-- changes, and a new upload makes the next version.
CREATE TABLE instrument_versions (
    id {id},
    instrument_id BIGINT NOT NULL REFERENCES instruments(id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    published_at BIGINT,
    published_by BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX instrument_versions_number ON instrument_versions (instrument_id, version);

-- When a project asks its participants to answer an instrument.
CREATE TABLE questionnaire_schedules (
    id {id},
    project_id BIGINT NOT NULL REFERENCES projects(id),
    instrument_id BIGINT NOT NULL REFERENCES instruments(id),
    at_intake BIGINT NOT NULL,
    every_months BIGINT,
    at_exit BIGINT NOT NULL,
    follow_up_months BIGINT,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX questionnaire_schedules_project ON questionnaire_schedules (project_id, instrument_id);
CREATE INDEX questionnaire_schedules_instrument ON questionnaire_schedules (instrument_id);

-- One filled-in questionnaire: the version, the wave ('intake', 'month_6',
-- 'exit', 'follow_up_6'; NULL outside the waves), the language it was shown
-- in, and how it was filled ('herself', 'with_staff', 'paper').
CREATE TABLE questionnaire_responses (
    id {id},
    participant_id BIGINT NOT NULL REFERENCES participants(id),
    instrument_id BIGINT NOT NULL REFERENCES instruments(id),
    version_id BIGINT NOT NULL REFERENCES instrument_versions(id),
    wave TEXT,
    on_date TEXT NOT NULL,
    language TEXT NOT NULL,
    mode TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    legacy_self_assessment BIGINT
);
CREATE INDEX questionnaire_responses_participant ON questionnaire_responses (participant_id, instrument_id, on_date);
CREATE UNIQUE INDEX questionnaire_responses_wave ON questionnaire_responses (participant_id, instrument_id, wave);
CREATE INDEX questionnaire_responses_instrument ON questionnaire_responses (instrument_id, wave);

-- Her answers, language-independent (choice values, numbers, dates).
-- `free_text` marks an answer in her own words: it goes when her record is
-- anonymised and never into the research export.
CREATE TABLE questionnaire_answers (
    response_id BIGINT NOT NULL REFERENCES questionnaire_responses(id),
    item TEXT NOT NULL,
    value TEXT NOT NULL,
    free_text BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (response_id, item)
);

-- The self-assessments made so far become responses of each partnership's
-- built-in self-assessment instrument, version 1, their history kept.
INSERT INTO instruments (partnership_id, name, builtin, created_at)
SELECT id, 'self_assessment', 'self_assessment', 0 FROM partnerships;
INSERT INTO instrument_versions (instrument_id, version, title, definition, created_at, published_at)
SELECT id, 1, 'Självskattning', '{{"name":"self_assessment","title":{{"en":"Self-assessment","sv":"Självskattning"}},"description":{{"en":"The six statements she rates from 1 (not at all) to 5 (fully), kept by palett since before questionnaires.","sv":"De sex påståenden som hon skattar från 1 (stämmer inte alls) till 5 (stämmer helt), förda i palett sedan före enkäterna."}},"languages":["sv","en"],"sections":[{{"name":"","label":{{}},"items":[{{"name":"swedish","label":{{"en":"I can make myself understood in Swedish in everyday life","sv":"Jag kan göra mig förstådd på svenska i vardagen"}},"hint":{{}},"kind":{{"type":"scale","min":1,"max":5,"choices":[{{"value":"1","label":{{"en":"1 – Not at all","sv":"1 – Stämmer inte alls"}}}},{{"value":"2","label":{{"en":"2 – Poorly","sv":"2 – Stämmer dåligt"}}}},{{"value":"3","label":{{"en":"3 – Partly","sv":"3 – Stämmer delvis"}}}},{{"value":"4","label":{{"en":"4 – Fairly well","sv":"4 – Stämmer ganska bra"}}}},{{"value":"5","label":{{"en":"5 – Fully","sv":"5 – Stämmer helt"}}}}]}},"required":true,"relevant":null}},{{"name":"health","label":{{"en":"I feel well and have the energy for my days","sv":"Jag mår bra och orkar med mina dagar"}},"hint":{{}},"kind":{{"type":"scale","min":1,"max":5,"choices":[{{"value":"1","label":{{"en":"1 – Not at all","sv":"1 – Stämmer inte alls"}}}},{{"value":"2","label":{{"en":"2 – Poorly","sv":"2 – Stämmer dåligt"}}}},{{"value":"3","label":{{"en":"3 – Partly","sv":"3 – Stämmer delvis"}}}},{{"value":"4","label":{{"en":"4 – Fairly well","sv":"4 – Stämmer ganska bra"}}}},{{"value":"5","label":{{"en":"5 – Fully","sv":"5 – Stämmer helt"}}}}]}},"required":true,"relevant":null}},{{"name":"confidence","label":{{"en":"I believe I can reach my goals","sv":"Jag tror på min förmåga att nå mina mål"}},"hint":{{}},"kind":{{"type":"scale","min":1,"max":5,"choices":[{{"value":"1","label":{{"en":"1 – Not at all","sv":"1 – Stämmer inte alls"}}}},{{"value":"2","label":{{"en":"2 – Poorly","sv":"2 – Stämmer dåligt"}}}},{{"value":"3","label":{{"en":"3 – Partly","sv":"3 – Stämmer delvis"}}}},{{"value":"4","label":{{"en":"4 – Fairly well","sv":"4 – Stämmer ganska bra"}}}},{{"value":"5","label":{{"en":"5 – Fully","sv":"5 – Stämmer helt"}}}}]}},"required":true,"relevant":null}},{{"name":"work_readiness","label":{{"en":"I know what work or studies I want and how to get there","sv":"Jag vet vilket arbete eller vilka studier jag vill till och hur jag kommer dit"}},"hint":{{}},"kind":{{"type":"scale","min":1,"max":5,"choices":[{{"value":"1","label":{{"en":"1 – Not at all","sv":"1 – Stämmer inte alls"}}}},{{"value":"2","label":{{"en":"2 – Poorly","sv":"2 – Stämmer dåligt"}}}},{{"value":"3","label":{{"en":"3 – Partly","sv":"3 – Stämmer delvis"}}}},{{"value":"4","label":{{"en":"4 – Fairly well","sv":"4 – Stämmer ganska bra"}}}},{{"value":"5","label":{{"en":"5 – Fully","sv":"5 – Stämmer helt"}}}}]}},"required":true,"relevant":null}},{{"name":"network","label":{{"en":"I have people around me who support me","sv":"Jag har människor omkring mig som stöttar mig"}},"hint":{{}},"kind":{{"type":"scale","min":1,"max":5,"choices":[{{"value":"1","label":{{"en":"1 – Not at all","sv":"1 – Stämmer inte alls"}}}},{{"value":"2","label":{{"en":"2 – Poorly","sv":"2 – Stämmer dåligt"}}}},{{"value":"3","label":{{"en":"3 – Partly","sv":"3 – Stämmer delvis"}}}},{{"value":"4","label":{{"en":"4 – Fairly well","sv":"4 – Stämmer ganska bra"}}}},{{"value":"5","label":{{"en":"5 – Fully","sv":"5 – Stämmer helt"}}}}]}},"required":true,"relevant":null}},{{"name":"everyday_life","label":{{"en":"I manage my everyday life, such as money and contacts with authorities","sv":"Jag klarar min vardag, till exempel ekonomi och kontakter med myndigheter"}},"hint":{{}},"kind":{{"type":"scale","min":1,"max":5,"choices":[{{"value":"1","label":{{"en":"1 – Not at all","sv":"1 – Stämmer inte alls"}}}},{{"value":"2","label":{{"en":"2 – Poorly","sv":"2 – Stämmer dåligt"}}}},{{"value":"3","label":{{"en":"3 – Partly","sv":"3 – Stämmer delvis"}}}},{{"value":"4","label":{{"en":"4 – Fairly well","sv":"4 – Stämmer ganska bra"}}}},{{"value":"5","label":{{"en":"5 – Fully","sv":"5 – Stämmer helt"}}}}]}},"required":true,"relevant":null}}]}}],"scores":[{{"name":"total","label":{{"en":"Total","sv":"Summa"}},"method":"sum","terms":[{{"item":"swedish","reverse":false}},{{"item":"health","reverse":false}},{{"item":"confidence","reverse":false}},{{"item":"work_readiness","reverse":false}},{{"item":"network","reverse":false}},{{"item":"everyday_life","reverse":false}}]}}]}}', 0, 0 FROM instruments WHERE builtin = 'self_assessment';
INSERT INTO questionnaire_responses (participant_id, instrument_id, version_id, wave, on_date, language, mode, recorded_by, recorded_at, legacy_self_assessment)
SELECT s.participant_id, i.id, v.id, NULL, s.on_date, 'sv',
       CASE WHEN s.by_participant = 1 THEN 'herself' ELSE 'with_staff' END,
       s.recorded_by, s.recorded_at, s.id
FROM self_assessments s
JOIN participants p ON p.id = s.participant_id
JOIN instruments i ON i.partnership_id = p.partnership_id AND i.builtin = 'self_assessment'
JOIN instrument_versions v ON v.instrument_id = i.id
ORDER BY s.id;
INSERT INTO questionnaire_answers (response_id, item, value)
SELECT r.id, 'swedish', CAST(s.swedish AS TEXT) FROM questionnaire_responses r JOIN self_assessments s ON s.id = r.legacy_self_assessment
UNION ALL SELECT r.id, 'health', CAST(s.health AS TEXT) FROM questionnaire_responses r JOIN self_assessments s ON s.id = r.legacy_self_assessment
UNION ALL SELECT r.id, 'confidence', CAST(s.confidence AS TEXT) FROM questionnaire_responses r JOIN self_assessments s ON s.id = r.legacy_self_assessment
UNION ALL SELECT r.id, 'work_readiness', CAST(s.work_readiness AS TEXT) FROM questionnaire_responses r JOIN self_assessments s ON s.id = r.legacy_self_assessment
UNION ALL SELECT r.id, 'network', CAST(s.network AS TEXT) FROM questionnaire_responses r JOIN self_assessments s ON s.id = r.legacy_self_assessment
UNION ALL SELECT r.id, 'everyday_life', CAST(s.everyday_life AS TEXT) FROM questionnaire_responses r JOIN self_assessments s ON s.id = r.legacy_self_assessment;
DROP TABLE self_assessments;
ALTER TABLE questionnaire_responses DROP COLUMN legacy_self_assessment;
