# ruff: noqa: E501  (one citation per line)
"""Every public page cited by the blind4 catalog.

Each entry is (publisher, date or "n.d.", address). Dates are the page's own
date where the stored copy shows one, otherwise the month of the event it
reports, otherwise "n.d.". All pages were found with the `search` tool
(mostly the `pages` corpus) on 2026-12-08; none was fetched live.
"""

# fmt: off
SOURCES: dict[str, tuple[str, str, str]] = {
    # --- loitering munitions, UAS -----------------------------------------
    "SB300_TN": ("Taiwan News", "2024-06-19", "https://www.taiwannews.com.tw/news/5892558"),
    "SB300_GCW": ("GovCon Wire", "2024-06", "https://govconwire.com/2024/06/state-department-oks-taiwans-fms-request-for-switchblade-300-system/"),
    "ALT_FG": ("FlightGlobal", "2024-06", "https://flightglobal.com/military-uavs/taiwan-cleared-for-big-loitering-munition-sale-amid-chinese-belligerence/158826.article"),
    "ALT_DH": ("Defense Here", "2025-08", "https://defensehere.com/taiwan-receives-first-batch-of-altius-600m-attack-drones-from-u-s"),
    "ALT_MW": ("Military Watch", "2025-08-06", "https://militarywatches.online/2025/08/06/republic-of-china-army-receives-first-kamikaze-drones-from-u-s-can-they-threaten-the-mainland"),
    "SPECIAL_YAHOO": ("自由時報 via Yahoo奇摩新聞", "n.d.", "https://tw.news.yahoo.com/%E5%9C%8B%E9%98%B2%E9%83%A8%E5%B0%87%E6%8E%A1%E8%B3%BC20%E9%A4%98%E8%90%AC%E6%9E%B6%E7%84%A1%E4%BA%BA%E6%A9%9F-%E8%B3%87%E6%B7%B1%E4%BA%BA%E5%A3%AB-%E6%87%89%E6%8E%A1%E5%8F%96-%E6%9C%80%E6%9C%89%E5%88%A9%E6%A8%99%E8%A9%95%E9%81%B8-065734994.html"),
    "ARMS_TT_1223": ("Taipei Times", "2025-12-23", "https://www.taipeitimes.com/News/taiwan/archives/2025/12/23/2003849354"),
    "CHINFENG1_YAHOO": ("Yahoo奇摩新聞 (報系)", "2026-01-29", "https://tw.news.yahoo.com/%E5%8F%B0%E6%9D%BF%E5%BD%88%E7%B0%A7%E5%88%80%E7%99%BC%E5%B0%845%E7%A7%92%E5%A2%9C%E5%9C%B0-%E4%B8%AD%E7%A7%91%E9%99%A2%E5%9D%A6%E6%89%BF%E5%8B%81%E8%9C%82-%E5%9E%8B%E7%BF%BC%E9%9D%A2%E5%A4%B1%E6%8E%A7%E4%BA%86-074427283.html"),
    "CHINFENG2_LTN": ("自由時報", "2025-09", "https://def.ltn.com.tw/article/breakingnews/5289751"),
    "JCTECH_TT": ("Taipei Times", "2022-09-13", "https://taipeitimes.com/News/taiwan/archives/2022/09/13/2003785233"),
    "UVISION_IE": ("Israel Económico", "n.d.", "https://www.israeleconomico.com/defensa/el-ejercito-de-estados-unidos-tendra-drones-suicidas-israelies"),
    "WB_TVN24": ("TVN24", "2022-05", "https://tvn24.pl/polska/systemy-bezzalogowe-gladius-dla-polskiej-armii-szef-mon-mariusz-blaszczak-zatwierdzil-umowe-5700130?source=rss"),
    "WB_THALES_AP": ("Airpress", "n.d.", "https://airpress.formiche.net/in-evidenza/mspo-thales-e-wb-electronics-svelano-la-loro-offerta-per-il-gryf-program/"),
    "PGZ_MIL": ("Wojskowe Zakłady Lotnicze Nr 1", "n.d.", "https://wzl1.mil.pl/pgz-wyprodukuje-bezzalogowce-klasy-mini/"),
    "DRONES_UDN_0906": ("聯合報", "2025-09-06", "https://udn.com/news/story/10930/8987984"),
    "DRONE_BIDS_LTN": ("自由時報", "2025-09-19", "https://ec.ltn.com.tw/article/paper/1724727"),
    "DRONE_WIN_NOW": ("NOWnews", "2026-02-20", "https://www.nownews.com/news/6784523"),
    "TEDIBOA_UDN": ("經濟日報", "2025-08-27", "https://udn.com/news/story/7241/8964970"),
    "TW_DRONE_UDN": ("聯合新聞網", "2025-09-23", "https://udn.com/news/story/6841/9021663"),
    "TT_AUTERION_YAHOO": ("Yahoo奇摩新聞", "2025-11-20", "https://tw.news.yahoo.com/%E5%8F%B0%E7%81%A3%E7%84%A1%E4%BA%BA%E6%A9%9F%E7%9B%9B%E4%B8%96%E4%BE%86%E8%87%A8%EF%BC%816%E5%AE%B6%E5%8F%B0%E5%BB%A0%E6%90%B6%E5%9C%8B%E9%9A%9B%E8%A8%82%E5%96%AE-%E5%8F%96%E4%BB%A3%E4%B8%AD%E5%9C%8B%E8%A3%BD%E9%80%A0%E5%8F%AA%E5%B7%AE%E4%B8%80%E5%80%8B%E5%BC%B1%E9%BB%9E%EF%BC%9F-012503329.html"),
    "TT_BLUE_UDN": ("中央社 via 聯合報", "2025-09-23", "https://udn.com/news/story/10930/9022831"),
    "TT_FPV_YAHOO": ("Yahoo奇摩新聞 (華視/綜合)", "2025-12-08", "https://tw.news.yahoo.com/%E7%BE%8E%E5%9C%8B%E7%84%A1%E4%BA%BA%E6%A9%9F%E5%8D%81%E5%84%84%E7%BE%8E%E5%85%83%E5%A4%A7%E5%96%AE-%E5%8F%B0%E5%BB%A0%E9%9B%B7%E8%99%8E-%E5%85%A5%E9%99%A3-%E6%8B%9A%E5%BE%97%E6%A8%99-145900202.html"),
    "TT_CUAS_UDN": ("聯合報 (中央社)", "2025-11-30", "https://udn.com/news/story/10930/9172311"),
    "DT_DRONE": ("DIGITIMES Asia", "2024-10-24", "https://digitimes.com/news/a20241024PD217.html"),
    "AMCHAM": ("AmCham Taiwan, Taiwan Business Topics", "2024-09", "https://topics.amcham.com.tw/2024/09/rushing-to-localize-the-drone-supply-chain/"),
    "MIRROR_2021": ("鏡週刊", "2021-09-15", "https://next.mirrormedia.mg/story/20210915ind004"),
    "AVILON_YAHOO": ("中央社 via Yahoo奇摩新聞", "2025-12-26", "https://tw.news.yahoo.com/%E4%B8%AD%E8%A3%BD%E7%84%A1%E4%BA%BA%E6%A9%9F%E5%AD%98%E8%B3%87%E5%AE%89%E7%96%91%E6%85%AE-%E5%8F%B0%E7%81%A3%E5%93%81%E7%89%8C%E5%B8%83%E5%B1%80%E6%B3%B0%E5%9C%8B%E9%9D%9E%E7%B4%85%E4%BE%9B%E6%87%89%E9%8F%88-074141268.html"),
    "ARMY_TRAIN_YAHOO": ("自由時報 via Yahoo奇摩新聞", "2025-11-04", "https://tw.news.yahoo.com/%E7%82%BA%E8%B2%B7%E7%B9%AB%E7%95%99%E7%84%A1%E4%BA%BA%E6%A9%9F%E5%81%9A%E6%BA%96%E5%82%99-%E9%99%B8%E8%BB%8D%E5%BE%B5%E6%B1%8270%E6%9E%B6%E8%A8%93%E7%B7%B4%E7%84%A1%E4%BA%BA%E6%A9%9F-%E5%83%B9%E6%A0%BC%E8%A6%81%E4%BD%8E%E6%96%BC4-5%E8%90%AC-022155752.html"),
    "UXV_BUDGET_YAHOO": ("自由時報 via Yahoo奇摩新聞", "2025-11-07", "https://tw.news.yahoo.com/%E8%BB%8D%E5%82%99%E5%B1%80%E5%95%9F%E5%8B%95%E7%84%A1%E4%BA%BA%E8%BC%89%E5%85%B7%E5%89%8D%E7%9E%BB%E6%8A%80%E8%A1%93%E5%A4%9A%E5%85%83%E6%95%B4%E5%90%88-%E9%96%8B%E7%99%BC%E8%BB%8D%E6%B0%91%E9%80%9A%E7%94%A8%E6%8A%80%E8%A1%93%E9%80%A0%E7%A6%8F%E7%94%A2%E6%A5%AD-033812831.html"),
    "TENGYUN_LTN": ("自由時報", "n.d.", "https://def.ltn.com.tw/article/breakingnews/5170514"),
    "STRONGBOW_UDN": ("聯合報", "2026-03-11", "https://udn.com/news/story/10930/9373046"),
    "MQ9_TN": ("Taiwan News", "2023-09", "https://www.taiwannews.com.tw/news/4881291"),
    "MQ9_DP": ("The Defense Post", "2024-03-13", "https://thedefensepost.com/2024/03/13/taiwan-buys-skyguardian-drones"),
    "SKYDIO_TN": ("Taiwan News", "2024-10", "https://www.taiwannews.com.tw/news/5963953"),
    "SKYDIO_VV": ("Veron Venture Groups (blog, reporting Financial Times)", "n.d.", "https://veronventuregroups.com/blog/china-sanctions-us-drone-maker-skydio-in-ongoing-trade-war"),
    # --- counter-UAS --------------------------------------------------------
    "TRON_TT": ("Taipei Times", "2025-01-21", "https://www.taipeitimes.com/News/taiwan/archives/2025/01/21/2003830579"),
    "TRON_DT": ("DIGITIMES Asia", "2025-01-21", "https://digitimes.com/news/a20250121VL206/drone-military-taiwan.html"),
    "TRON_UAI": ("Unmanned Airspace", "n.d.", "https://www.unmannedairspace.info/counter-uas-systems-and-policies/taiwan-to-focus-on-developing-indigenous-c-uas-capabilities-responding-to-threat-from-china/"),
    "CUAS_LTN_0920": ("自由時報", "2025-09-20", "https://news.ltn.com.tw/news/politics/paper/1724910"),
    "CUAS_UDN_AIRSHARE": ("聯合報", "n.d.", "https://udn.com/news/story/10930/9330661"),
    "CUAS_TT_2022": ("Taipei Times", "2022-05-20", "https://www.taipeitimes.com/News/taiwan/archives/2022/05/20/2003778514"),
    "CUAS_LTN_1124": ("自由時報", "2025-11-24", "https://def.ltn.com.tw/article/breakingnews/5256430"),
    "DRONESHIELD_UG": ("Ubergizmo", "2020-05", "https://www.ubergizmo.com/2020/05/gun-shoot-drones-out-of-sky/"),
    "EPIRUS_GDO": ("Global Defense (online)", "n.d.", "https://globaldefense.online/policy-gaps-hamper-u-s-response-to-east-coast-drones/"),
    "EPIRUS_USSA": ("USSA News", "2025-09-01", "https://ussanews.com/2025/09/01/electromagnetic-weapon-destroys-drone-swarm-in-seconds-singularity-event"),
    "DFEND_AC": ("Air & Cosmos", "n.d.", "https://air-cosmos.com/article/d-fend-quipe-les-forces-amricaines-22270"),
    "ALTA_AFP": ("AFP (as carried by a news mirror)", "2025-09", "http://www.elettrik.com/node/2615804/amp/%7B%7B/%7B%7Bpath%7D%7D"),
    "SAT_TRON_MAC": ("Macnifico", "n.d.", "https://macnifico.pt/?p=7182"),
    # --- naval -----------------------------------------------------------
    "USV_TT_0326": ("Taipei Times", "2025-03-26", "https://www.taipeitimes.com/News/front/archives/2025/03/26/2003834074"),
    "USV_TT_0918": ("Taipei Times", "2025-09-18", "https://www.taipeitimes.com/News/taiwan/archives/2025/09/18/2003844005"),
    "USV_TVBS": ("TVBS News", "2025-06-18", "https://news.tvbs.com.tw/english/2906133"),
    "USV_JPOST": ("The Jerusalem Post", "n.d.", "http://members.jpost.com/defense-and-tech/article-882008"),
    "USV_BAIRD": ("Baird Maritime", "2025-09-22", "https://www.bairdmaritime.com/security/naval/unmanned-naval-systems/us-taiwanese-collaboration-to-manufacture-new-usvs"),
    "USV_FOCUS": ("Focus (focus-news.info)", "2025-07-18", "https://focus-news.info/en_GB/articles/gc9/features/2025/07/18/feature-01"),
    "USV_LTN_0819": ("自由時報", "2025-08-19", "https://def.ltn.com.tw/article/breakingnews/5148793"),
    "SARONIC_RIV": ("Riviera Maritime Media", "n.d.", "https://www.rivieramm.com/news-content-hub/us-navy-turns-to-non-traditional-defence-start-up-for-fleet-of-asvs-87195?Preview=1"),
    "SAILDRONE_BD": ("Black Dots Tech Media", "n.d.", "https://blackdotstechmedia.com/tag/autonomous-vessel"),
    "MINE_PTS": ("公視新聞網 PNN", "n.d.", "https://news.pts.org.tw/article/563417"),
    "MINE_LTN": ("Taipei Times via 自由時報", "n.d.", "https://news.ltn.com.tw/news/focus/breakingnews/3801675"),
    "MINE_FT": ("Focus Taiwan (CNA)", "2020-06-23", "https://focustaiwan.tw/politics/202006230029"),
    "VOLCANO_ET": ("The EurAsian Times", "n.d.", "https://eurasiantimes.com/taiwan-is-deploying-cheap-minelayers-their-mines-with-us-help-to-target-expensive-chinese-warships"),
    "MK48_AMR": ("Asian Military Review", "2020-05", "https://www.asianmilitaryreview.com/2020/05/heavyweight-torpedo-fms-order-approved-for-taiwan/"),
    "MK48_TN": ("Taiwan News", "2023-05-06", "https://www.taiwannews.com.tw/en/news/4884107"),
    "HAIKUN_TT": ("Taipei Times", "2023-10-13", "https://www.taipeitimes.com/News/taiwan/archives/2023/10/13/2003807631"),
    # --- missiles, air defence, fires -----------------------------------
    "HCDS_SH": ("Shephard", "2022-03-04", "https://www.shephardmedia.com/news/naval-warfare/boeing-to-provide-harpoon-launchers-for-taiwanese/"),
    "HCDS_TN": ("Taiwan News", "2020-10-27", "https://taiwannews.com.tw/news/4043544"),
    "MIXER_WJ": ("世界日報", "2026-01-31", "https://www.worldjournal.com/wj/story/121475/9301335"),
    "NASAMS_TT": ("Taipei Times", "2025-01-11", "https://www.taipeitimes.com/News/front/archives/2025/01/11/2003830010"),
    "NASAMS_DL": ("Defensive Lines", "2025-11", "https://defensivelines.com/?p=4816"),
    "NASAMS_AMR": ("Asian Military Review", "2024-10", "https://asianmilitaryreview.com/2024/10/us-dsca-approves-taiwans-request-for-air-defence-boost"),
    "NASAMS_LTN": ("Taipei Times via 自由時報", "2025-02-11", "https://news.ltn.com.tw/news/focus/breakingnews/4947360"),
    "RADAR_ME": ("Military Embedded Systems", "2024-10-28", "https://militaryembedded.com/radar-ew/sensors/radar-systems-sale-to-taiwan-approved-by-us-state-department"),
    "RADAR_TT_117": ("Taipei Times", "2024-10-12", "https://www.taipeitimes.com/News/taiwan/archives/2024/10/12/2003825170"),
    "PAC3_DN": ("Defence News (defencenews.online)", "n.d.", "https://defencenews.online/taipei-allocates-additional-budget-to-expand-pac-3-missile-stockpile"),
    "PAC3_ARES": ("Ares Osservatorio Difesa", "n.d.", "https://aresdifesa.it/altri-trecento-patriot-pac-3-mse-per-taiwan/"),
    "STINGER_TN": ("Taiwan News", "2024-03", "https://www.taiwannews.com.tw/news/5122189"),
    "STINGER_PN": ("Press News 24", "n.d.", "https://pressnews24.in/taiwan-to-buy-over-1000-additional-stinger-missiles-amid-growing-chinese-threat/"),
    "JAV_EUR": ("The EurAsian Times", "n.d.", "https://eurasiantimes.com/raytheon-wins-us-army-contract-to-supply-javelin-missiles-to-taiwan-lithuania"),
    "JAV_REUTERS": ("Reuters via Nasdaq", "2023-03-07", "https://www.nasdaq.com/articles/u.s.-approves-possible-sale-of-javelin-missiles-to-australia"),
    "JAV_PL_REUTERS": ("Reuters via Yahoo Finance", "2023-09-06", "https://finance.yahoo.com/news/lockheed-rtx-joint-venture-enters-164128486.html"),
    "HIMARS_LTN": ("Taipei Times via 自由時報", "2025-05-06", "https://news.ltn.com.tw/news/focus/breakingnews/5033458"),
    "HIMARS_OCAC": ("中央社 CNA via OCAC News", "n.d.", "http://ocacnews.net/article/383690?cid=24"),
    "TB2000_DW": ("德國之聲 DW 中文", "2012-07-22", "https://m.dw.com/zh/台媒雷霆二千火箭炮系统下月交付军方/a-16117839"),
    "TB2000_LTN": ("自由時報", "2025-09-23", "https://def.ltn.com.tw/article/breakingnews/5187456"),
    "M109A7_ZM": ("Zona Militar", "2025-12-18", "https://www.zona-militar.com/en/2025/12/18/for-more-than-us4-billion-the-u-s-approved-the-sale-of-new-m109a7-self-propelled-howitzers-to-the-taiwanese-army"),
    "M109A7_ML": ("Military Leak", "2023-09-26", "https://militaryleak.com/2023/09/26/bae-systems-offers-m109a7-self-propelled-howitzer-to-taiwan-amidst-historic-arms-deal-approval"),
    # --- munitions, energetics ------------------------------------------
    "SHELL155_LTN": ("自由時報", "2025-09-13", "https://def.ltn.com.tw/article/breakingnews/5176712"),
    "SHELL155_UDN": ("聯合報", "2026-01-12", "https://udn.com/news/story/10930/9259749"),
    "SHELL155_NEWTALK": ("Newtalk新聞 via Yahoo奇摩新聞", "2026-01-16", "https://tw.news.yahoo.com/%E5%BC%B7%E5%8C%96%E6%88%B0%E6%99%82%E5%BD%88%E8%97%A5%E4%BE%9B%E6%87%89-%E5%8F%B0%E7%81%A3%E6%94%9C%E6%89%8B%E7%BE%8E%E5%9C%8B%E8%81%AF%E5%90%88%E7%94%9F%E7%94%A2155mm%E7%A0%B2%E5%BD%88-052033500.html"),
    "LINES7_LTN": ("自由時報", "n.d.", "https://def.ltn.com.tw/article/breakingnews/5316376"),
    "RHEIN_SH": ("Shephard", "n.d.", "https://www.shephardmedia.com/news/landwarfareintl/new-rheinmetall-factory-to-produce-200000-artillery-shells-annually"),
    "RHEIN_5X": ("dpa via 5x.news", "2025-08", "https://5x.news/germany-s-rheinmetall-unveils-new-plant-for-artillery-ammunition-383550.html"),
    "RHEIN_NC": ("Defense Magazine", "2025-04-12", "https://defensemagazine.com/article/rheinmetall-builds-on-czech-csg-and-expands-nitrocellulose-production"),
    "CSG_ADRIA": ("Adria Defense", "n.d.", "https://www.adriadefense.com/csg-aims-to-start-in-house-military-nitrocellulose-production-at-walsrode-within-two-years"),
    "EXPLOSIA_HP": ("HlidaciPes.org via MediaGuard", "n.d.", "https://mediaguard.co/a-bottleneck-of-support-for-a-warring-ukraine-market-still-short-of-gun-cotton"),
    "EURENCO_CO": ("EURENCO (company news page)", "n.d.", "https://eurenco.com/sv/europeiska-kommissionen-beviljar-flera-bidrag-for-att-stodja-eurencos-kapacitetsokning-inom-ramen-for-asap-planen/"),
    "EURENCO_24": ("24 News Bulletin (AFP)", "n.d.", "https://24newsbulletin.com/economy/60529.html"),
    "M30_WJ": ("世界日報", "2026-03-07", "https://www.worldjournal.com/wj/story/121475/9366214"),
    "MACS_LTN": ("自由時報", "2025-09-04", "https://def.ltn.com.tw/article/breakingnews/5166438"),
    "RDX_CNA": ("中央社 via Yahoo奇摩新聞", "2025-12-15", "https://tw.news.yahoo.com/%E4%B8%AD%E7%A7%91%E9%99%A2%E9%95%B7-cl-20%E7%82%B8%E8%97%A5%E4%B9%8B%E7%8E%8B%E5%B0%87%E9%81%8B%E7%94%A8%E5%9C%8B%E9%80%A0%E7%84%A1%E4%BA%BA%E6%94%BB%E6%93%8A%E8%BC%89%E5%85%B7-045540650.html"),
    "MM30_YAHOO": ("自由時報 via Yahoo奇摩新聞", "2026-01-23", "https://tw.news.yahoo.com/%E7%BE%8E%E5%95%86%E7%82%BA%E5%8F%B0%E6%89%93%E9%80%A0%E4%B8%AD%E5%8F%A3%E5%BE%91%E5%BD%88%E8%97%A5%E6%B8%AC%E8%A9%A6%E5%A0%B4-%E8%BB%8D%E6%96%B9%E5%8D%BB%E5%85%88%E8%8A%B194-7%E5%84%84%E8%B2%B7%E5%A4%A7%E6%89%B930%E6%A9%9F%E7%A0%B2%E5%BD%88%E8%97%A5-024859504.html"),
    "MM30_UDN": ("聯合報", "n.d.", "https://udn.com/news/story/10930/5199190"),
    "TANK120_LTN": ("自由時報", "2025-10", "https://def.ltn.com.tw/article/breakingnews/5222686"),
    # --- vehicles -------------------------------------------------------
    "MK44_NOWNEWS": ("NOWnews", "n.d.", "https://nownews.com/news/4065087"),
    "CM34_SETN": ("三立新聞網", "n.d.", "https://setn.settv-it.com/News.aspx?NewsID=528007"),
    "CM34_EBC": ("東森新聞", "2019", "https://news.ebc.net.tw/news/business/160404"),
    "CM34_JFT": ("フォーカス台湾 (中央社)", "2022-06-16", "https://japan.focustaiwan.tw/politics/202206160005"),
    "CM34_YAHOO": ("自由時報 via Yahoo奇摩新聞", "2026-01-03", "https://tw.news.yahoo.com/%E5%9C%8B%E8%BB%8D%E5%BE%8C%E5%82%99%E9%83%A8%E9%9A%8A-%E7%81%AB%E5%8A%9B%E8%87%AA%E8%B5%B0%E5%8C%96-%E9%9B%B2%E8%B1%B9%E7%B3%BB%E5%88%97%E7%94%B2%E8%BB%8A%E6%90%AD%E5%90%84%E5%9E%8B%E8%BF%AB%E7%A0%B2%E7%82%BA%E5%84%AA%E5%85%88-084442469.html"),
    "P209_YAHOO": ("Yahoo奇摩新聞", "2025-12-28", "https://tw.news.yahoo.com/%E7%B8%BD%E7%B5%B1%E5%B0%88%E8%A8%AA%E8%B5%B0%E9%80%B2-%E9%9B%B2%E8%B1%B9%E5%85%AB%E8%BC%AA%E7%94%B2%E8%BB%8A-%E7%94%A2%E5%9C%B0-%E5%85%B7%E5%9C%8B%E8%BB%8A%E5%9C%8B%E9%80%A0%E4%B8%89%E5%A4%A7%E6%84%8F%E7%BE%A9-132559563.html"),
    "M1_NOWNEWS": ("NOWnews", "2026-03-11", "https://www.nownews.com/news/6794591"),
    # --- C4ISR, radar, datalinks, space ----------------------------------
    "LINK16_DP": ("The Defense Post", "2024-02-22", "https://www.thedefensepost.com/2024/02/22/us-taiwan-tactical-data/"),
    "LINK16_FT": ("Federal Times", "2022-10-03", "https://federaltimes.com/battlefield-tech/it-networks/2022/10/03/l3harris-to-buy-viasats-link-16-portfolio-expand-jadc2-offerings"),
    "LINK16_LTN": ("Taipei Times via 自由時報", "2024-08-01", "https://news.ltn.com.tw/news/focus/breakingnews/4755035"),
    "SAT_UDN": ("聯合報", "2025-10-15", "https://udn.com/news/story/7240/9071495"),
    "SAT_ITHOME": ("iThome", "n.d.", "https://ithome.com.tw/news/163833"),
    "SAT_CHT": ("經濟日報", "n.d.", "https://udn.com/news/story/7253/9115015"),
    "SAT_MND_YAHOO": ("鏡新聞 via Yahoo奇摩新聞", "2025-11-06", "https://tw.news.yahoo.com/2%E5%B9%B446%E5%84%84%E5%BC%B7%E5%8C%96%E8%A1%9B%E6%98%9F%E9%80%9A%E8%A8%8A-%E5%9C%8B%E9%98%B2%E9%83%A8%E8%AD%89%E5%AF%A6%E5%B0%87%E7%A7%9F%E6%96%B0%E8%A1%9B%E6%98%9F%E5%82%B3%E8%BC%B8%E7%84%A1%E4%BA%BA%E6%A9%9F%E6%83%85%E8%92%90%E8%B3%87%E6%96%99-095401955.html"),
    "TECHTW_LEO": ("TechTaiwan", "2021-07-20", "https://techtaiwan.com/20210720/taiwan-leo-odm/"),
    "TECHTW_NSPO": ("TechTaiwan", "2021-09-22", "https://techtaiwan.com/20210922/nspo-2028/"),
    "TECHTW_CUBE": ("TechTaiwan", "2021-05-05", "https://techtaiwan.com/20210505/taiwan-space-industry/"),
    "TT_LEO_2021": ("Taipei Times", "2021-07-18", "https://www.taipeitimes.com/News/taiwan/archives/2021/07/18/2003761049"),
    "TT_CUBESAT": ("Taipei Times", "2023-08-12", "https://www.taipeitimes.com/News/taiwan/archives/2023/08/12/2003804631"),
    # --- MRO, supply chain -------------------------------------------------
    "F16_CNA": ("中央社", "2019-12-16", "https://www.cna.com.tw/news/firstnews/201912160105.aspx"),
    "F16_CTIMES": ("CTIMES", "2020-08-29", "https://ctimes.com.tw/DispNews-tw.asp?o=2008291255M8"),
    "F16_OD": ("東方日報", "2023-12-24", "https://orientaldaily.on.cc/content/兩岸國際/odn-20231224-1224_00178_008/台139架F16V戰機升級--漢翔公司趕工完成"),
    "BATT_UDN": ("經濟日報", "2025-08-21", "https://udn.com/news/story/7241/8953013"),
    "VA_MONEYLINK": ("時報資訊 via MoneyLink", "n.d.", "https://ww2.money-link.com.tw/RealtimeNews/NewsContent.aspx?PU=0010&SN=4890362001"),
    "CASE202_LTN": ("自由時報", "2025-09-23", "https://def.ltn.com.tw/article/breakingnews/5187359"),
    "TASA_TT": ("Taipei Times", "2024-04-13", "https://www.taipeitimes.com/News/taiwan/archives/2024/04/13/2003816366"),
    "TECHTW_B5G": ("TechTaiwan", "2021-08-05", "https://techtaiwan.com/20210805/space-taiwan-nspo/"),
    "MOLICEL_BG3": ("bg3.co (repost of 時報資訊)", "n.d.", "https://bg3.co/a/shui-ni-gu-dian-dong-fei-ji-shi-chang-hang-neng-yuan-ke-ji-chao-ji-dian-chi-duo-de-mei-shang-ding-dan.html"),
    "EXPORT_LTN": ("自由時報", "2026-03-08", "https://ec.ltn.com.tw/article/breakingnews/5363312"),
}
# fmt: on


def cite(key: str) -> str:
    """The citation text for one source key: publisher, date, address."""
    publisher, date, url = SOURCES[key]
    return f"{publisher}, {date}, {url}"


def cite_all(keys: str) -> str:
    """Several keys separated by spaces, cited in order and joined by ' | '."""
    return " | ".join(cite(k) for k in keys.split())
