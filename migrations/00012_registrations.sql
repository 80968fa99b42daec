-- +goose Up
-- Registrations (Anmeldungen) for events and their workshops.
--
-- Capacity is guarded by the application taking the event row FOR NO KEY
-- UPDATE in every transaction that gives or frees a place (register,
-- confirm, cancel, lapse, change workshop, promote): the per-event lock
-- serialises them, so counting the place holders below and then writing is
-- safe. The tables only make bad states impossible; they cannot count.
--
-- Personal data: name, email, organisation, user_id and the answers. They are
-- erased (the row stays, for the counts) a configurable number of days after
-- the event (RII_REGISTRATION_RETENTION_DAYS, default 180; see /datenschutz),
-- together with the registration's links and e-mails in the outbox.

-- Registration settings of an event. capacity, registration_opens_at and
-- registration_closes_at already live on events (00008).
ALTER TABLE events
	-- The editors' switch: registration is offered only while it is true,
	-- the event is published and upcoming, and the window (if any) is open.
	ADD COLUMN registration_open    boolean NOT NULL DEFAULT false,
	-- How long an unconfirmed registration holds its place before it lapses.
	ADD COLUMN registration_hold_hours int NOT NULL DEFAULT 24 CHECK (registration_hold_hours BETWEEN 1 AND 720),
	-- How long before the start the reminder e-mail goes out.
	ADD COLUMN reminder_lead_hours  int NOT NULL DEFAULT 48 CHECK (reminder_lead_hours BETWEEN 1 AND 720);

-- Lets registration_workshops name a workshop together with its event and
-- time slot, so a choice can only be a workshop of the registration's own
-- event, and at most one per slot (parallel workshops share starts_at).
ALTER TABLE workshops ADD CONSTRAINT workshops_id_event_slot_key UNIQUE (id, event_id, starts_at);

-- The event's own questions on the registration form.
CREATE TABLE event_questions (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	-- text: a short free answer; choice: one of options; yesno: ja/nein.
	kind     text NOT NULL CHECK (kind IN ('text', 'choice', 'yesno')),
	label    text NOT NULL CHECK (btrim(label) <> '' AND length(label) <= 300),
	-- The choices of a choice question, in order; empty for the others.
	options  text[] NOT NULL DEFAULT '{}' CHECK (cardinality(options) <= 20),
	required boolean NOT NULL DEFAULT false,
	position int NOT NULL DEFAULT 0,
	CONSTRAINT event_questions_choice_has_options CHECK ((kind = 'choice') = (cardinality(options) >= 2)),
	UNIQUE (id, event_id)
);
CREATE INDEX event_questions_event_idx ON event_questions (event_id, position, id);

-- The first-come order of registrations: taken while the event is locked,
-- so it is the order in which registrations got the lock.
CREATE SEQUENCE registration_queue_seq;

CREATE TABLE registrations (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id        bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	-- The signed-in member who registered, if any (members see their own).
	user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
	-- The person. Empty only once anonymised.
	name            text NOT NULL CHECK (length(name) <= 200),
	email           text NOT NULL CHECK (length(email) <= 320),
	organisation    text NOT NULL DEFAULT '' CHECK (length(organisation) <= 300),
	-- The initiative the person comes from, chosen from the directory.
	initiative_id   bigint REFERENCES initiatives (id) ON DELETE SET NULL,
	-- pending: e-mail address not yet confirmed (double opt-in);
	-- confirmed: address confirmed and a place held (bestätigt);
	-- waitlisted: address confirmed, no place yet (Warteliste);
	-- cancelled: by the person or staff; lapsed: never confirmed in time.
	status          text NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'cancelled', 'lapsed')),
	-- Whether the registration counts against the capacity of the event and
	-- of its chosen workshops. A pending registration holds a place if one
	-- was free when it came; confirmed always, the others never.
	holds_place     boolean NOT NULL,
	-- First-come position (registration_queue_seq); the waiting list is the
	-- waitlisted registrations of an event ordered by it.
	queue_seq       bigint NOT NULL DEFAULT nextval('registration_queue_seq') UNIQUE,
	-- When an unconfirmed registration lapses.
	hold_expires_at timestamptz NOT NULL,
	created_at      timestamptz NOT NULL,
	-- When the person agreed to the privacy notice (the form's checkbox).
	consent_at      timestamptz NOT NULL,
	confirmed_at    timestamptz,
	-- When it was cancelled or lapsed.
	ended_at        timestamptz,
	-- When the person last got the personal link by e-mail (re-sends are
	-- spaced out so a flood of posts sends one e-mail).
	link_sent_at    timestamptz NOT NULL,
	-- When the reminder e-mail was queued: set in the outbox's transaction.
	reminded_at     timestamptz,
	-- When staff checked the person in at the door; NULL: not (yet) there.
	attended_at     timestamptz,
	-- public: the form; invitation: an editor's invitation link; manual: added by staff.
	source          text NOT NULL DEFAULT 'public' CHECK (source IN ('public', 'invitation', 'manual')),
	-- When the personal data was erased (retention).
	anonymised_at   timestamptz,
	CONSTRAINT registrations_place_follows_status CHECK (
		(status = 'confirmed' AND holds_place) OR status = 'pending'
		OR (status IN ('waitlisted', 'cancelled', 'lapsed') AND NOT holds_place)),
	CONSTRAINT registrations_confirmed_has_date CHECK (
		status NOT IN ('confirmed', 'waitlisted') OR confirmed_at IS NOT NULL),
	CONSTRAINT registrations_ended_has_date CHECK ((status IN ('cancelled', 'lapsed')) = (ended_at IS NOT NULL)),
	CONSTRAINT registrations_person CHECK (
		(anonymised_at IS NULL AND btrim(name) <> '' AND email LIKE '%_@_%')
		OR (anonymised_at IS NOT NULL AND name = '' AND email = '' AND organisation = '' AND user_id IS NULL)),
	UNIQUE (id, event_id)
);
-- One active registration per person and event; a double click or a
-- resubmitted form finds this one.
CREATE UNIQUE INDEX registrations_event_email_key ON registrations (event_id, lower(email))
	WHERE status IN ('pending', 'confirmed', 'waitlisted') AND anonymised_at IS NULL;
CREATE INDEX registrations_event_queue_idx ON registrations (event_id, status, queue_seq);
CREATE INDEX registrations_hold_idx ON registrations (hold_expires_at) WHERE status = 'pending';
CREATE INDEX registrations_reminder_idx ON registrations (event_id) WHERE status = 'confirmed' AND reminded_at IS NULL;
CREATE INDEX registrations_user_idx ON registrations (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX registrations_initiative_idx ON registrations (initiative_id) WHERE initiative_id IS NOT NULL;

-- The workshops a registration chose: at most one per parallel slot, each a
-- workshop of the registration's event. The slot moves with the workshop.
CREATE TABLE registration_workshops (
	registration_id bigint NOT NULL,
	event_id        bigint NOT NULL,
	workshop_id     bigint NOT NULL,
	slot_starts_at  timestamptz NOT NULL,
	PRIMARY KEY (registration_id, workshop_id),
	UNIQUE (registration_id, slot_starts_at),
	FOREIGN KEY (registration_id, event_id) REFERENCES registrations (id, event_id) ON DELETE CASCADE,
	FOREIGN KEY (workshop_id, event_id, slot_starts_at) REFERENCES workshops (id, event_id, starts_at)
		ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX registration_workshops_workshop_idx ON registration_workshops (workshop_id);

-- Answers to the event's questions; deleted on anonymisation.
CREATE TABLE registration_answers (
	registration_id bigint NOT NULL,
	event_id        bigint NOT NULL,
	question_id     bigint NOT NULL,
	answer          text NOT NULL CHECK (length(answer) <= 1000),
	PRIMARY KEY (registration_id, question_id),
	FOREIGN KEY (registration_id, event_id) REFERENCES registrations (id, event_id) ON DELETE CASCADE,
	FOREIGN KEY (question_id, event_id) REFERENCES event_questions (id, event_id) ON DELETE CASCADE
);
CREATE INDEX registration_answers_question_idx ON registration_answers (question_id);

-- Personal links: the SHA-256 of the token in the link, as for user_tokens.
-- A registration may have several (each re-send makes a new one, since the
-- token itself is never stored). The link shows the registration and, while
-- pending, confirms it by a button; it stays valid until anonymisation.
CREATE TABLE registration_tokens (
	token_hash      bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	registration_id bigint NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
	created_at      timestamptz NOT NULL
);
CREATE INDEX registration_tokens_registration_idx ON registration_tokens (registration_id);

-- E-mails about a registration name it, so anonymisation deletes them; an
-- optional attachment (the .ics of the event) goes with the message.
ALTER TABLE outbox
	ADD COLUMN registration_id bigint REFERENCES registrations (id) ON DELETE CASCADE,
	ADD COLUMN attachment_name text CHECK (attachment_name ~ '^[a-z0-9][a-z0-9.-]{0,99}$'),
	ADD COLUMN attachment_type text CHECK (attachment_type ~ '^[a-z]+/[a-z0-9.+-]+(; ?[a-z]+=[a-zA-Z0-9-]+)*$'),
	ADD COLUMN attachment      text,
	ADD CONSTRAINT outbox_attachment_complete CHECK (
		(attachment IS NULL) = (attachment_name IS NULL) AND (attachment IS NULL) = (attachment_type IS NULL));
CREATE INDEX outbox_registration_idx ON outbox (registration_id) WHERE registration_id IS NOT NULL;

-- Places left show on the public event page, and the questions in its form.
CREATE CONSTRAINT TRIGGER registrations_content_version AFTER INSERT OR UPDATE OR DELETE ON registrations
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER registration_workshops_content_version AFTER INSERT OR UPDATE OR DELETE ON registration_workshops
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER event_questions_content_version AFTER INSERT OR UPDATE OR DELETE ON event_questions
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();

-- +goose Down
DROP INDEX outbox_registration_idx;
ALTER TABLE outbox DROP CONSTRAINT outbox_attachment_complete,
	DROP COLUMN attachment, DROP COLUMN attachment_type, DROP COLUMN attachment_name, DROP COLUMN registration_id;
DROP TABLE registration_tokens;
DROP TABLE registration_answers;
DROP TABLE registration_workshops;
DROP TABLE registrations;
DROP SEQUENCE registration_queue_seq;
DROP TABLE event_questions;
ALTER TABLE workshops DROP CONSTRAINT workshops_id_event_slot_key;
ALTER TABLE events DROP COLUMN reminder_lead_hours, DROP COLUMN registration_hold_hours, DROP COLUMN registration_open;
