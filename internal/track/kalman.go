package track

import "math"

// filter is a constant-velocity Kalman filter in a local plane: state
// (x, y, vx, vy) in metres and metres per second, east and north. Arrays,
// not a matrix library, because the hot path updates millions of tracks a
// second and must not allocate.
type filter struct {
	x [4]float64
	P [4][4]float64
	// ver changes whenever x does, so a track can cache what it derives
	// from the state.
	ver uint32
}

// init starts the filter at a position with a position variance and a
// velocity (and its variance).
func (f *filter) init(x, y, vx, vy, posVar, velVar float64) {
	f.x = [4]float64{x, y, vx, vy}
	f.ver++
	f.P = [4][4]float64{}
	f.P[0][0], f.P[1][1] = posVar, posVar
	f.P[2][2], f.P[3][3] = velVar, velVar
}

// predict moves the state dt seconds on under white-noise acceleration of
// spectral density q (m²/s³): the discrete Wiener process model.
func (f *filter) predict(dt, q float64) {
	if dt <= 0 {
		return
	}
	f.ver++
	f.x[0] += dt * f.x[2]
	f.x[1] += dt * f.x[3]
	// P = F P Fᵀ for F = [[I, dt I], [0, I]], written out.
	P := &f.P
	for i := 0; i < 4; i++ { // rows: P[0] += dt P[2], P[1] += dt P[3]
		P[0][i] += dt * P[2][i]
		P[1][i] += dt * P[3][i]
	}
	for i := 0; i < 4; i++ { // columns
		P[i][0] += dt * P[i][2]
		P[i][1] += dt * P[i][3]
	}
	dt2 := dt * dt
	q11, q12, q22 := q*dt2*dt/3, q*dt2/2, q*dt
	P[0][0] += q11
	P[1][1] += q11
	P[0][2] += q12
	P[2][0] += q12
	P[1][3] += q12
	P[3][1] += q12
	P[2][2] += q22
	P[3][3] += q22
}

// innovation returns the residual of a position measurement (zx, zy) with
// variance r, its covariance S (2×2, symmetric: s00, s01, s11) and the
// squared Mahalanobis distance d².
func (f *filter) innovation(zx, zy, r float64) (ex, ey, s00, s01, s11, d2 float64) {
	ex, ey = zx-f.x[0], zy-f.x[1]
	s00, s01, s11 = f.P[0][0]+r, f.P[0][1], f.P[1][1]+r
	det := s00*s11 - s01*s01
	if det <= 0 {
		return ex, ey, s00, s01, s11, math.Inf(1)
	}
	d2 = (ex*ex*s11 - 2*ex*ey*s01 + ey*ey*s00) / det
	return ex, ey, s00, s01, s11, d2
}

// updatePos applies a position measurement with variance r (m²) on each
// axis.
func (f *filter) updatePos(zx, zy, r float64) { f.update(0, zx, zy, r) }

// updateVel applies a velocity measurement (vx, vy) with variance r (m²/s²)
// on each axis, as AIS reports speed and course beside the position. It is
// done as a second sequential update, valid because the two measurements'
// errors are independent.
func (f *filter) updateVel(vx, vy, r float64) { f.update(2, vx, vy, r) }

// update applies a measurement of the state pair (x[k], x[k+1]), position
// for k = 0 or velocity for k = 2, with variance r on each axis.
func (f *filter) update(k int, zx, zy, r float64) {
	ex, ey := zx-f.x[k], zy-f.x[k+1]
	s00, s01, s11 := f.P[k][k]+r, f.P[k][k+1], f.P[k+1][k+1]+r
	det := s00*s11 - s01*s01
	if det <= 0 {
		return
	}
	i00, i01, i11 := s11/det, -s01/det, s00/det
	// K = P Hᵀ S⁻¹, with P Hᵀ the columns k and k+1 of P.
	var K [4][2]float64
	for i := 0; i < 4; i++ {
		K[i][0] = f.P[i][k]*i00 + f.P[i][k+1]*i01
		K[i][1] = f.P[i][k]*i01 + f.P[i][k+1]*i11
	}
	for i := 0; i < 4; i++ {
		f.x[i] += K[i][0]*ex + K[i][1]*ey
	}
	f.ver++
	// P = (I - K H) P, using rows k and k+1 of the old P.
	r0, r1 := f.P[k], f.P[k+1]
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			f.P[i][j] -= K[i][0]*r0[j] + K[i][1]*r1[j]
		}
	}
	f.symmetrise()
}

// symmetrise removes the rounding asymmetry that sequential updates leave.
func (f *filter) symmetrise() {
	for i := 0; i < 4; i++ {
		for j := i + 1; j < 4; j++ {
			m := (f.P[i][j] + f.P[j][i]) / 2
			f.P[i][j], f.P[j][i] = m, m
		}
	}
}

// speed returns the speed (m/s) and course (degrees true) of the state.
func (f *filter) speed() (speed, course float64) {
	speed = math.Hypot(f.x[2], f.x[3])
	course = math.Mod(math.Atan2(f.x[2], f.x[3])*180/math.Pi+360, 360)
	return speed, course
}

// velocityFrom converts speed (m/s) and course (degrees true) to east and
// north components.
func velocityFrom(speed, course float64) (vx, vy float64) {
	s, c := math.Sincos(course * math.Pi / 180)
	return speed * s, speed * c
}
