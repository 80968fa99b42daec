package server

import (
	"time"

	"rii/internal/event"
	"rii/internal/store"
	"rii/web/paths"
)

// eventLD is the schema.org Event of a public event page, for search
// engines. It never holds the online link, and names only people whose
// contact is public, whoever is looking.
type eventLD struct {
	Context             string     `json:"@context"`
	Type                string     `json:"@type"`
	Name                string     `json:"name"`
	Description         string     `json:"description,omitempty"`
	URL                 string     `json:"url"`
	StartDate           string     `json:"startDate"`
	EndDate             string     `json:"endDate"`
	EventStatus         string     `json:"eventStatus"`
	EventAttendanceMode string     `json:"eventAttendanceMode"`
	Location            []ldPlace  `json:"location"`
	Organizer           *ldThing   `json:"organizer,omitempty"`
	Performer           []ldPerson `json:"performer,omitempty"`
	Keywords            []string   `json:"keywords,omitempty"`
	MaximumAttendee     *int       `json:"maximumAttendeeCapacity,omitempty"`
}

type ldPlace struct {
	Type    string `json:"@type"`
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

type ldPerson struct {
	Type        string `json:"@type"`
	Name        string `json:"name"`
	JobTitle    string `json:"jobTitle,omitempty"`
	Affiliation string `json:"affiliation,omitempty"`
}

// ldStatus maps event statuses to schema.org's EventStatusType.
var ldStatus = map[string]string{
	event.StatusPublished: "https://schema.org/EventScheduled",
	event.StatusCompleted: "https://schema.org/EventScheduled",
	event.StatusCancelled: "https://schema.org/EventCancelled",
}

// ldMode maps formats to schema.org's EventAttendanceModeEnumeration.
var ldMode = map[string]string{
	event.FormatDigital:  "https://schema.org/OnlineEventAttendanceMode",
	event.FormatInPerson: "https://schema.org/OfflineEventAttendanceMode",
	event.FormatHybrid:   "https://schema.org/MixedEventAttendanceMode",
}

func (s *Server) eventLD(d *store.PublicEventDetail) eventLD {
	ld := eventLD{Context: "https://schema.org", Type: "Event", Name: d.Title, Description: d.Summary,
		URL: s.link(paths.Event(d.Slug)), StartDate: d.StartsAt.In(event.Berlin).Format(time.RFC3339),
		EndDate: d.EndsAt.In(event.Berlin).Format(time.RFC3339), EventStatus: ldStatus[d.Status],
		EventAttendanceMode: ldMode[d.Format], MaximumAttendee: d.Capacity}
	if d.Format != event.FormatDigital {
		ld.Location = append(ld.Location, ldPlace{Type: "Place", Name: d.Place, Address: d.Place})
	}
	if d.Format != event.FormatInPerson {
		// A VirtualLocation without its url: the link is for participants only.
		ld.Location = append(ld.Location, ldPlace{Type: "VirtualLocation", Name: "Online"})
	}
	if d.Host != "" {
		ld.Organizer = &ldThing{Type: "Organization", Name: d.Host}
	}
	seen := map[int64]bool{}
	add := func(people []store.StagePersonView) {
		for _, p := range people {
			if p.Visibility == store.VisibilityPublic && !seen[p.ContactID] {
				seen[p.ContactID] = true
				ld.Performer = append(ld.Performer, ldPerson{Type: "Person", Name: p.Name, JobTitle: p.Function, Affiliation: p.Organisation})
			}
		}
	}
	for _, it := range d.Programme {
		add(it.People)
	}
	for _, w := range d.Workshops {
		add(w.Moderators)
	}
	for _, t := range d.Topics {
		ld.Keywords = append(ld.Keywords, t.Name)
	}
	return ld
}
