package mail

import (
	"testing"

	"rii/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
