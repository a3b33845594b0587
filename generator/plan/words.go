package plan

import "fmt"

// words are the phrases that charts, page titles and link titles need in
// each interface language; they are made in Go, not in the templates, so
// the i18n files hold only what templates write. Link titles on transcript
// pages are in the plan's language.
var words = map[string]map[string]string{
	"zh-TW": {
		"planTitle": "各範疇承諾事項進度", "commitments": "%d 項承諾事項", "milestones": "里程碑 %d 項",
		"area": "範疇 %s %s（%d 項）", "count": "%s %d 項", "sep": "、", "stop": "。", "colon": "：",
		"timelineTitle": "里程碑時程", "period": "方案期程 %s 至 %s", "due": "預計 %s 完成", "noDue": "未定完成日期",
		"asOf": "資料更新至 %s", "noDate": "未定", "updated": "更新 %s", "quote": "「%s」",
		"plansTitle": "國家行動方案", "agenciesTitle": "機關", "resolutionsTitle": "決議追蹤：%s",
		"resolutionsDesc": "%d 項決議，%d 項列管中。", "agencyDesc": "主辦 %d 項、協辦 %d 項承諾事項，負責 %d 項決議。",
		"areaLink": "範疇 %s %s", "resolutionLink": "決議 %s：%s", "resolutionsLink": "決議 %s 至 %s，共 %d 項",
	},
	"en": {
		"planTitle": "Progress of the commitments by area", "commitments": "%d commitments", "milestones": "%d milestones",
		"commitments1": "%d commitment", "milestones1": "%d milestone",
		"area": "Area %s %s (%d)", "count": "%s %d", "sep": ", ", "stop": ". ", "colon": ": ",
		"timelineTitle": "Milestone timeline", "period": "plan period %s to %s", "due": "due %s", "noDue": "no due date",
		"asOf": "status as of %s", "noDate": "no date", "updated": "updated %s", "quote": " “%s” ",
		"plansTitle": "National Action Plans", "agenciesTitle": "Agencies", "resolutionsTitle": "Resolutions tracker: %s",
		"resolutionsDesc": "%d resolutions, %d still tracked.", "agencyDesc": "Leads %d and partners in %d commitments; owns %d resolutions.",
		"areaLink": "Area %s %s", "resolutionLink": "Resolution %s: %s", "resolutionsLink": "Resolutions %s to %s (%d)",
	},
}

func word(lang, key string, args ...any) string {
	w := words[lang]
	if w == nil {
		w = words["zh-TW"]
	}
	if len(args) == 0 {
		return w[key]
	}
	return fmt.Sprintf(w[key], args...)
}

// number is word for a phrase about n things: the singular form, where the
// language has one, when n is 1.
func number(lang, key string, n int) string {
	if n == 1 && words[lang][key+"1"] != "" {
		key += "1"
	}
	return word(lang, key, n)
}
