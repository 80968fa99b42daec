package geo

import "math"

// The map's projection: Lambert conformal conic on a sphere, fixed for
// Germany. Conformal keeps the districts' shapes true (an equirectangular
// map scaled by cos 51° would stretch Schleswig-Holstein by 10 % and squeeze
// Upper Bavaria by 7 % east–west), and with standard parallels at 1/6 and
// 5/6 of Germany's span of latitude (47.3°–55.1°) the scale error stays below
// 0.15 % everywhere. On a sphere rather than the GRS80 ellipsoid: the
// difference is far below a pixel at this scale. Meridians converge
// northwards, so north is up along the central meridian (10.5° E) and tilts
// by at most 3.6° at the eastern and western borders, as on the maps
// Germans know.
const (
	stdParallel1 = 48.0 + 2.0/3 // 48°40′
	stdParallel2 = 53.0 + 2.0/3 // 53°40′
	originLat    = 51.0
	centralLon   = 10.5
	earthRadius  = 6371.0 // km: projected coordinates are kilometres
)

// lcc holds the projection's constants.
type lcc struct {
	n, f, rho0 float64
}

func newLCC() lcc {
	rad := math.Pi / 180
	p1, p2, p0 := stdParallel1*rad, stdParallel2*rad, originLat*rad
	t := func(phi float64) float64 { return math.Tan(math.Pi/4 + phi/2) }
	n := math.Log(math.Cos(p1)/math.Cos(p2)) / math.Log(t(p2)/t(p1))
	f := math.Cos(p1) * math.Pow(t(p1), n) / n
	return lcc{n: n, f: f, rho0: earthRadius * f / math.Pow(t(p0), n)}
}

// project maps longitude and latitude in degrees to kilometres east and
// south of the origin: y grows downwards, as in SVG.
func (p lcc) project(lon, lat float64) point {
	rad := math.Pi / 180
	rho := earthRadius * p.f / math.Pow(math.Tan(math.Pi/4+lat*rad/2), p.n)
	theta := p.n * (lon - centralLon) * rad
	return point{rho * math.Sin(theta), -(p.rho0 - rho*math.Cos(theta))}
}
