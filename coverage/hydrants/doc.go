// Package hydrants checks hydrants against GB 50974-2014: protection
// within the radius along streets (or in straight lines), the spacing along
// named built-up streets, both sides of wide streets, and buildings left
// unprotected; Plan sites the fewest new hydrants that close the gaps,
// ranked by what each adds; Stats gives the intact rate per township and
// the debt per old district.
package hydrants
