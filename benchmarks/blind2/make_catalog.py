#!/usr/bin/env python3
"""Build the blind2 evaluation catalog (partners, capabilities, codevelopers,
countries, requirements, truth) as UTF-8 CSV files, written atomically."""
import csv, os, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sources import src, UNVERIFIED

HERE = os.path.dirname(os.path.abspath(__file__))
U = UNVERIFIED

# ---------------------------------------------------------------- partners
# (partner_id, name, country, kind, description, source)
TW = "Taiwan"; US = "United States"
PARTNERS = [
 ("ncsist", "National Chung-Shan Institute of Science and Technology (國家中山科學研究院)", TW, "research_institute", "State-owned defence R&D and production institute (missiles, UAVs, electronics, chemistry)", src(("fas_csist", "CSIST divisions: aeronautics, missiles and rockets, electronics, chemistry"), ("tt_20220312", "NCSIST missile production"))),
 ("aidc", "Aerospace Industrial Development Corporation (漢翔航空工業)", TW, "prime_contractor", "Taichung aircraft maker: IDF, T-5 trainer, F-16 MRO, composites", src(("janes_f16", "AIDC F-16 MRO&U centre"), ("militaryleak_t5", "T-5A deliveries"))),
 ("csbc", "CSBC Corporation, Taiwan (台灣國際造船)", TW, "manufacturer", "Kaohsiung shipbuilder of the Hai Kun submarine and Endeavor Manta USV", src(("janes_ukexport", "first IDS unveiled at CSBC"), ("ettoday_usv", "Endeavor Manta USV"))),
 ("lungteh", "Lungteh Shipbuilding (龍德造船)", TW, "manufacturer", "Yilan yard building minelayers, fast attack craft, patrol craft and USVs", src(("armada_minelayer", "Lungteh minelayers and naval craft"))),
 ("jong-shyn", "Jong Shyn Shipbuilding (中信造船)", TW, "manufacturer", "Kaohsiung yard building Coast Guard patrol vessels and USVs", src(("tn_3747154", "Jong Shyn CGA cutters"))),
 ("arsenal-202", "Armaments Bureau 202nd Arsenal (軍備局生產製造中心第202廠)", TW, "military_arsenal", "MND arsenal producing artillery, tank and cannon ammunition and cartridge cases", src(("udn_9304117", "202廠 ammunition R&D and production"))),
 ("arsenal-205", "Armaments Bureau 205th Arsenal (軍備局生產製造中心第205廠)", TW, "military_arsenal", "MND arsenal for small arms, small-arms ammunition, explosives, helmets and armour plates", src(("ettoday_205", "205廠 products and relocation"))),
 ("arsenal-209", "Armaments Bureau 209th Arsenal (軍備局生產製造中心第209廠)", TW, "military_arsenal", "MND arsenal at Jiji, Nantou, producing the Clouded Leopard 8x8 family", src(("voa_209", "209廠 Clouded Leopard line"))),
 ("thunder-tiger", "Thunder Tiger Corporation (雷虎科技)", TW, "manufacturer", "Radio-control model maker turned military drone, USV and UUV builder", src(("decktv_seashark", "SeaShark 800"), ("yahoo_tt_blue", "Blue UAS listing"))),
 ("circ", "Coretronic Intelligent Robotics Corporation (中光電智能機器人)", TW, "manufacturer", "Coretronic Group drone subsidiary", src(("nownews_drones", "commercial-grade military drone award"))),
 ("geosat", "GEOSAT Aerospace & Technology (經緯航太)", TW, "manufacturer", "Drone maker and operator, Chiayi", src(("digitimes_tadte", "Geosat in commercial-grade drone tender"))),
 ("egat", "Evergreen Aviation Technologies Corporation (長榮航太)", TW, "manufacturer", "Aircraft and engine MRO, aerostructures, military commercial-grade drones", src(("egat_press", "EGAT MRO"), ("nownews_drones", "drone award"))),
 ("taiwan-uav", "Taiwan UAV (智飛科技)", TW, "manufacturer", "First indigenous Taiwanese UAV maker", src(("amcham_drone", "Taiwan UAV history"))),
 ("mitac-it", "MiTAC Information Technology (神通資訊科技)", TW, "manufacturer", "IT systems firm that won commercial-grade military drone contracts", src(("nownews_drones", "drone award"))),
 ("air-asia", "Air Asia Company (亞洲航空)", TW, "manufacturer", "Tainan aviation company; drones with NCSIST, fibre-optic gyros", src(("ec_ltn_tadte", "Air Asia drones and FOG"))),
 ("tron-future", "Tron Future Tech (創未來科技)", TW, "manufacturer", "AESA radar and counter-drone start-up, Hsinchu", src(("digitimes_tron", "Tron Future counter-drone contract"))),
 ("chunghwa-telecom", "Chunghwa Telecom (中華電信)", TW, "manufacturer", "Largest Taiwanese telecom operator; satellite resilience network", src(("tt_oneweb", "Chunghwa OneWeb service"))),
 ("formosa-plastics", "Formosa Plastics Corporation (台灣塑膠工業)", TW, "manufacturer", "Petrochemical group; Taiwan's only carbon-fibre producer (Tairylang)", src(("ntu_formosa", "Formosa Plastics carbon fibre"))),
 ("e-one-moli", "E-One Moli Energy Corp (Molicel, 台泥集團)", TW, "manufacturer", "Lithium-ion cell maker (Molicel), Taiwan Cement Group", src(("cw_emoli", "E-One Moli"), ("udn_molicel", "Molicel cells for drones"))),
 ("carbon-based-tech", "Carbon-Based Technology (碳基科技)", TW, "manufacturer", "Carbon-fibre composite products and USVs", src(("tvbs_usv", "Carbon-Based Technology USV demo"), ("ftnn_composites", "碳基 composites"))),
 ("swancor", "Swancor Advanced Materials (上緯投控)", TW, "manufacturer", "Composite resin and materials maker", src(("ftnn_composites", "上緯 composites for defence and drones"))),
 ("uht-unitech", "UHT Unitech", TW, "manufacturer", "Advanced materials supplier co-developing the Cougar VTOL UAV", src(("digitimes_defense", "UHT Unitech and Fong Jaw Cougar UAV"))),
 ("fong-jaw", "Fong Jaw Aerospace", TW, "manufacturer", "Aerospace manufacturer, Cougar VTOL UAV partner", src(("digitimes_defense", "Fong Jaw Cougar UAV"))),
 ("getac", "Getac Technology Corp (神基科技)", TW, "manufacturer", "Rugged computers for military use; aerospace fasteners", src(("tt_getac", "Getac rugged computers"))),
 ("transcom", "Transcom Inc. (全訊科技)", TW, "manufacturer", "Microwave power amplifiers and low-noise amplifiers", src(("yahoo_16stocks", "全訊 PA/LNA microwave components"))),
 ("chengtian", "晟田 (TWSE 4541)", TW, "manufacturer", "Aircraft landing-gear component maker", src(("yahoo_16stocks", "晟田 landing gear components"))),
 ("baoyi", "寶一 (TPEx 8222)", TW, "manufacturer", "Aero-engine hot-section component maker", src(("yahoo_16stocks", "寶一 aero-engine hot section parts"))),
 ("chienfu", "千附精密 (TWSE 6829)", TW, "manufacturer", "Precision component integration", src(("yahoo_16stocks", "千附精密 precision components"))),
 ("shern-yeong", "Shern Yeong Precise Optical (Yilan)", TW, "manufacturer", "High-end optical glass maker pivoting to defence", src(("npr_optics", "Shern Yeong pivot to defence"))),
 ("hwa-meei", "Hwa Meei Optical (Tainan)", TW, "manufacturer", "Eyewear maker moving into bullet-resistant military eyewear", src(("npr_optics", "Hwa Meei military eyewear"))),
 ("min-chun", "Min Chun Precision", TW, "manufacturer", "Aerospace parts maker moving into satellite ground-station platforms", src(("digitimes_aero", "Min Chun Precision"))),
 ("auav-center", "Asia UAV AI Innovation Application R&D Center (亞洲無人機AI創新應用研發中心)", TW, "research_institute", "Government drone R&D cluster and test site in Chiayi", src(("diplomat", "Asia UAV AI Innovation Application R&D Center"), ("tn_czech", "center in Chiayi"))),
 # ---- foreign
 ("lockheed-martin", "Lockheed Martin", US, "prime_contractor", "US prime: rocket artillery, missiles, torpedoes, combat systems, F-16", src(("dsca_himars", "HIMARS prime"), ("amr_mk48", "MK 48"))),
 ("rtx", "RTX (Raytheon)", US, "prime_contractor", "US prime: Stinger, NASAMS, torpedoes, sonar, radars", src(("tn_4526448", "Raytheon Stinger"), ("db_nasams", "NASAMS"))),
 ("boeing", "Boeing Defense, Space & Security", US, "prime_contractor", "Harpoon and SLAM-ER maker", src(("shephard_hcds", "Boeing HCDS"))),
 ("northrop-grumman", "Northrop Grumman", US, "prime_contractor", "US prime incl. ex-Orbital ATK armament systems", src(("nownews_mk44", "Mk44 from Alliant Techsystems Operations (Orbital ATK)"), ("diplomat", "Northrop Grumman at TADTE"))),
 ("gd-ots", "General Dynamics Ordnance and Tactical Systems", US, "manufacturer", "Operates US Army 155 mm shell plants", src(("lincoln_gdots", "GD-OTS 155 mm plant"))),
 ("l3harris", "L3Harris Technologies", US, "prime_contractor", "Tactical radios, Link 16, EO/IR (WESCAM)", src(("federaltimes_l3h", "L3Harris Link 16"))),
 ("ga-asi", "General Atomics Aeronautical Systems", US, "manufacturer", "MQ-9B SkyGuardian/SeaGuardian maker", src(("db_mq9b", "GA-ASI MQ-9B contract"))),
 ("anduril", "Anduril Industries", US, "manufacturer", "Altius loitering munitions and autonomy", src(("dd_altius", "Anduril Altius"))),
 ("aerovironment", "AeroVironment", US, "manufacturer", "Switchblade loitering munitions, small UAS", src(("dd_altius", "AeroVironment Switchblade 300"))),
 ("honeywell", "Honeywell Aerospace", US, "manufacturer", "F124 turbofan (via ITEC JV with AIDC)", src(("wiki_t5", "ITEC Honeywell-AIDC"))),
 ("teledyne-flir", "Teledyne FLIR Defense", US, "manufacturer", "Thermal imaging, Black Hornet nano-UAS", src(("usatoday_hornet4", "Teledyne FLIR Black Hornet 4"))),
 ("skydio", "Skydio", US, "manufacturer", "US small drone maker", src(("dset", "Skydio at DSET drone supply chain dialogue"))),
 ("shield-ai", "Shield AI", US, "manufacturer", "V-BAT VTOL UAS and autonomy software", src(("gamereactor_vbat", "V-BAT"))),
 ("hii", "HII (Huntington Ingalls Industries) Mission Technologies", US, "prime_contractor", "REMUS UUVs and unmanned maritime systems", src(("eb_remus", "REMUS 300"))),
 ("leidos", "Leidos", US, "prime_contractor", "US systems integrator; unmanned surface vessels", src(("ltn_5179493", "Leidos with Jong Shyn on smart USVs"))),
 ("imsar", "IMSAR LLC", US, "manufacturer", "Small radar developer", src(("tn_5036449", "IMSAR-Thunder Tiger deal"))),
 ("bell", "Bell Textron", US, "manufacturer", "Helicopter maker (AH-1W, UH-1)", src(("udn_9018245", "AIDC-Bell helicopter maintenance"))),
 ("orbital-composites", "Orbital Composites", US, "manufacturer", "Composite 3D printing", src(("udn_9018245", "AIDC-Orbital Composites"))),
 ("maxar", "Maxar Intelligence", US, "manufacturer", "Geospatial intelligence and 3D maps", src(("udn_9018245", "AIDC-Maxar visual positioning"))),
 ("kulr", "KULR Technology Group", US, "manufacturer", "Aerospace and military battery systems", src(("udn_molicel", "KULR ONE Air"))),
 ("amprius", "Amprius Technologies", US, "manufacturer", "High-energy-density lithium cells", src(("udn_molicel", "Amprius cells in KULR ONE Air"))),
 ("viasat", "Viasat", US, "manufacturer", "Link 16 MIDS terminals (TDL business sold to L3Harris 2022)", src(("ausdef_mids", "ViaSat MIDS"), ("federaltimes_l3h", "sale to L3Harris"))),
 ("hexcel", "Hexcel Corporation", US, "manufacturer", "Aerospace-grade carbon fibre and composites", src(("globalpi_hexcel", "Hexcel carbon fibre"))),
 ("bae-systems", "BAE Systems", "United Kingdom", "prime_contractor", "M109 Paladin, M88, 155 mm ammunition", src(("zona_m109a7", "M109A7 by BAE Systems"))),
 ("chemring", "Chemring Group (Chemring Nobel)", "United Kingdom", "manufacturer", "Military explosives HMX, RDX, NTO", src(("sharecast_chemring", "Chemring Nobel explosives"))),
 ("mbda", "MBDA", "France", "prime_contractor", "European missile house: Mistral VSHORAD", src(("aircosmos_mistral", "Mistral 3"))),
 ("thales", "Thales", "France", "prime_contractor", "Defence electronics; EuroTorp partner", src(("seawaves_mu90", "EuroTorp members"))),
 ("naval-group", "Naval Group", "France", "prime_contractor", "French naval shipbuilder; EuroTorp partner", src(("seawaves_mu90", "EuroTorp members"))),
 ("eurenco", "Eurenco", "France", "manufacturer", "Energetic materials: powders, explosives, modular charges", src(("eurenco_asap", "Eurenco capacity"))),
 ("eutelsat", "Eutelsat OneWeb", "France", "manufacturer", "LEO satellite broadband (OneWeb)", src(("tt_oneweb", "OneWeb service for Taiwan"))),
 ("rheinmetall", "Rheinmetall", "Germany", "prime_contractor", "155 mm ammunition, Eurospike partner, loitering munitions with UVision", src(("shephard_155lap", "Rheinmetall 155 mm capacity"))),
 ("diehl", "Diehl Defence", "Germany", "manufacturer", "Missiles; Eurospike partner", src(("analisidifesa_spike", "Eurospike JV"))),
 ("fincantieri", "Fincantieri (WASS Submarine Systems)", "Italy", "manufacturer", "Torpedoes from Livorno (WASS)", src(("informare_wass", "WASS MU90 order"))),
 ("leonardo", "Leonardo", "Italy", "prime_contractor", "ESM, aircraft (M-346), EuroTorp member", src(("amr_mq9b", "Leonardo SAGE 750"))),
 ("kongsberg", "Kongsberg Defence & Aerospace", "Norway", "prime_contractor", "NASAMS co-developer; HUGIN AUVs", src(("db_nasams", "NASAMS Raytheon-Kongsberg"))),
 ("nammo", "Nammo", "Norway", "manufacturer", "Ammunition 5.56-120 mm, 155 mm shells, rocket motors", src(("regjeringen_nammo", "Nammo capacity"))),
 ("saab", "Saab", "Sweden", "prime_contractor", "RBS 70 short-range air defence", src(("letribunal_rbs70", "RBS 70 NG"))),
 ("patria", "Patria", "Finland", "manufacturer", "AMV 8x8 armoured modular vehicle", src(("db_patria_jsw", "Patria AMV XP"))),
 ("damen", "Damen Shipyards Group", "Netherlands", "manufacturer", "Stan Patrol vessel family", src(("damen_mag", "Stan Patrol 5009"))),
 ("elbit", "Elbit Systems", "Israel", "prime_contractor", "Hermes UAS family", src(("efk_hermes", "Hermes 900 HFE"))),
 ("rafael", "Rafael Advanced Defense Systems", "Israel", "prime_contractor", "Spike missiles, Drone Dome C-UAS", src(("analisidifesa_spike", "Spike LR2"), ("sott_dronedome", "Drone Dome"))),
 ("iai", "Israel Aerospace Industries", "Israel", "prime_contractor", "Harop loitering munition, Heron UAS", src(("uproxx_harop", "Harop"), ("usts_heron", "Heron 1"))),
 ("uvision", "UVision Air", "Israel", "manufacturer", "Hero loitering munitions", src(("traderfox_uvision", "UVision loitering munition with Rheinmetall"))),
 ("toray", "Toray Industries", "Japan", "manufacturer", "Carbon fibre and prepreg", src(("ir_toray", "Toray Composite Materials America"))),
 ("mhi", "Mitsubishi Heavy Industries", "Japan", "prime_contractor", "Japanese prime: MAV wheeled vehicle, submarines", src(("wp_amv", "MHI MAV"), ("gentleseas", "retired MHI experts on Taiwan submarine"))),
 ("japan-steel-works", "Japan Steel Works", "Japan", "manufacturer", "Licence producer of Patria AMV XP in Japan", src(("db_patria_jsw", "JSW licence"))),
 ("kawasaki", "Kawasaki Heavy Industries", "Japan", "prime_contractor", "Japanese submarine and aircraft builder", src(("gentleseas", "retired Kawasaki experts on Taiwan submarine"), U)),
 ("hanwha-aerospace", "Hanwha Aerospace", "South Korea", "prime_contractor", "K9 howitzer, K239 Chunmoo MRL", src(("yna_chunmoo", "Chunmoo"), ("polygon_k9", "K9"))),
 ("poongsan", "Poongsan Corporation", "South Korea", "manufacturer", "Korean ammunition maker (almost all calibres)", src(("aju_poongsan", "Poongsan ammunition"))),
 ("hyundai-rotem", "Hyundai Rotem", "South Korea", "prime_contractor", "K2 Black Panther tank maker", src(("cpb_poongsan", "Hyundai Rotem K2"))),
 ("baykar", "Baykar", "Turkey", "manufacturer", "Bayraktar TB2 armed UAV", src(("gzt_baykar", "Bayraktar TB2 exports"))),
 ("austal", "Austal", "Australia", "manufacturer", "Patrol boat and naval shipbuilder", src(("adbr_austal", "Cape class"))),
 ("csg", "Czechoslovak Group (CSG)", "Czech Republic", "prime_contractor", "Ammunition group; MSM North America 155 mm complex", src(("latestdef_csg", "MSM North America part of CSG"))),
 ("wb-group", "WB Group (WB Electronics)", "Poland", "manufacturer", "Polish private defence group; Hanwha WB Advanced Systems JV", src(("joongang_hwb", "Hanwha-WB JV"))),
]

# ---------------------------------------------------------------- capabilities
# (partner_id, capability, category, system, source)
C = []
def c(pid, cap, cat="", system="", source=""):
    C.append((pid, cap, cat, system, source))

# NCSIST
s = src(("tt_20220312", "NCSIST production of Hsiung Feng III, Tien Chien II, Tien Kung III"))
c("ncsist", "Hsiung Feng III supersonic ramjet anti-ship missile - ship-launched and land-based mobile batteries", "anti_ship_missile", "Hsiung Feng III", s)
c("ncsist", "雄風二型反艦飛彈：艦射、岸置機動發射", "anti_ship_missile", "Hsiung Feng II", src(("tn_4500794", "Anping-class retains Hsiung Feng II and III launchers"), ("janes_ncsist", "HF family production")))
c("ncsist", "天弓三型防空飛彈系統 — 中高空區域防空，具反戰術彈道飛彈能力", "air_defence_missile", "Tien Kung III", s)
c("ncsist", "Tien Chien II (Sky Sword II) ship-launched / land-based air defence missile", "air_defence_missile", "Tien Chien II", s)
c("ncsist", "HF-3", "", "Hsiung Feng III", s)
c("ncsist", "TK-3", "", "Tien Kung III", s)
c("ncsist", "Sixteen missile production lines running; output of about 1,000 missiles a year at peak", "", "", src(("pts_621661", "NCSIST 16 production lines, 800-1,000 missiles a year")))
c("ncsist", "劍翔反輻射無人機 — 長時滯空，自主搜索並摧毀敵方雷達", "loitering_munition", "Chien Hsiang", src(("digitimes_tadte", "Chien Hsiang anti-radiation loitering munition in volume production")))
c("ncsist", "Albatross tactical UAS: composite modular airframe, EO/IR payload, GPS autopilot, real-time video and communications relay", "uas", "Albatross", src(("ihls_albatross", "NCSIST Albatross tactical UAV")))
c("ncsist", "Teng Yun 2 medium-altitude long-endurance unmanned aircraft", "uas", "Teng Yun", src(("db_mq9b", "Teng Yun 2 MALE UAV"), ("tn_5036449", "Teng Yun UAV")))
c("ncsist", "Cardinal III portable mini-UAV", "uas", "Cardinal III", src(("digitimes_tadte", "NCSIST Cardinal III on display")))
c("ncsist", "銳鳶2號無人機（與亞航合作量產）", "uas", "銳鳶2號", src(("ec_ltn_tadte", "亞航與中科院合作生產的銳鳶2號")))
c("ncsist", "「快奇」小型快速攻擊無人艇：高速、可搭載爆裂物、與勁蜂自殺無人機協同打擊", "naval", "Kuai Chi", src(("ltn_5179493", "中科院快奇攻擊無人艇"), ("ltn_5348347", "快奇搭配勁蜂自殺式無人機")))
c("ncsist", "勁蜂自殺式無人機", "loitering_munition", "Jing Feng", src(("ltn_5348347", "勁蜂自殺式無人機 in exercise")))
c("ncsist", "Unmanned target boat system: remote control, pre-programmed navigation, real-time video, RF simulators and jammers; expandable with radar, weapon and sonar modules for coastal attack, mine detection and ASW", "naval", "", src(("armyrec_usv2023", "NCSIST unmanned target boat system")))
c("ncsist", "Automated high-speed mine-laying system for fast minelayers; Wan Xiang bottom mine and moored mines", "naval", "FMLB", src(("armada_minelayer", "NCSIST automated mine laying system and mines")))
c("ncsist", "Kung Feng 6A multiple rocket system; artillery fire-control systems", "rocket_artillery", "Kung Feng 6A", src(("fas_csist", "Kung-feng 6A rocket and artillery fire control systems produced by CSIST")))
c("ncsist", "Naval sonar systems and naval electronic warfare systems", "sensors_electronics", "", src(("fas_csist", "CSIST naval sonar and naval EW systems")))
c("ncsist", "化學研究所：火箭藥柱、彈頭裝藥、發動機火工品生產製作", "energetics", "", src(("ettoday_205", "中科院大樹院區化學研究所火箭藥柱、彈頭裝藥")))
c("ncsist", "CL-20 high-energy explosive for indigenous attack drones and USVs (national core key technology)", "energetics", "CL-20", src(("ettoday_cl20", "CL-20 for indigenous attack vehicles")))
c("ncsist", "遙控無人機防禦系統 — 干擾反制，保護基地、港口、機場", "counter_uas", "", src(("tt_tron", "NCSIST commissioned to build air force remote control drone defence system")))
c("ncsist", "Integration of vendors' radars and jammers into a counter-drone system for critical infrastructure", "counter_uas", "", src(("ltn_5255878", "NCSIST integrates vendors' counter-drone equipment")))
c("ncsist", "30 mm turret and cannon integration for the CM-34 Clouded Leopard", "vehicles", "Clouded Leopard CM-34", src(("setn_30mm", "中科院將砲塔與機砲整合成全砲塔系統")))
c("ncsist", "Co-developer of the T-5 Brave Eagle advanced jet trainer; ground-based training systems", "aircraft", "T-5 Brave Eagle", src(("amr_t5", "AIDC in partnership with NCSIST; NCSIST GBTS")))

# AIDC
c("aidc", "F-16 maintenance, repair, overhaul and upgrade (MRO&U) centre in Taichung, authorised by Lockheed Martin; F-16A/B to F-16V upgrades and Block 70 support", "aircraft", "F-16", src(("janes_f16", "AIDC MRO&U centre"), ("tn_3838357", "AIDC-Lockheed F-16 maintenance centre")))
c("aidc", "F-16 維修能量已完成372項建置", "aircraft", "F-16", src(("udn_9164225", "F-16 維修項目已有372項完成能量建置")))
c("aidc", "勇鷹高教機（T-5）量產交機，取代AT-3與F-5", "aircraft", "T-5 Brave Eagle", src(("militaryleak_t5", "AIDC T-5A deliveries")))
c("aidc", "T-5A", "", "T-5 Brave Eagle", src(("militaryleak_t5", "T-5A")))
c("aidc", "F124 turbofan assembly and local parts through ITEC, the Honeywell-AIDC partnership", "aircraft", "F124", src(("wiki_t5", "ITEC engines assembled in Taiwan"), ("defensemirror_t5", "F124 55 percent domestically produced")))
c("aidc", "Indigenous Defense Fighter (F-CK-1 Ching-kuo) production", "aircraft", "", src(("economist_aidc", "AIDC builds IDF in Taichung")))
c("aidc", "Taiwan Advanced Composite Centre: composite aerostructures incl. Boeing 787 parts and Airbus A320 aft belly fairings", "components", "", src(("jec_taiwan", "AIDC TACC")))
c("aidc", "無人機反制系統（已完成測試，優先保護關鍵基礎設施）", "counter_uas", "", src(("ec_ltn_tadte", "漢翔開發的無人機反制系統已完成測試")))
c("aidc", "與美商Bell續簽直升機維修合作", "aircraft", "", src(("udn_9018245", "漢翔與美商BELL續簽直升機維修合作案")))
c("aidc", "Carbon-fibre composite 3D printing (with Orbital Composites)", "components", "", src(("udn_9018245", "漢翔與Orbital Composites碳纖複材3D列印")))
c("aidc", "Vision-based positioning for drones flying without GPS, with Maxar 3D maps", "sensors_electronics", "", src(("udn_9018245", "漢翔與MAXAR視覺定位")))
c("aidc", "丙式軍用商規無人機（與成功大學組隊）", "uas", "", src(("ec_ltn_tadte", "漢翔將與成功大學組隊鎖定丙式")))

# CSBC
c("csbc", "Hai Kun indigenous defence submarine (SS-711) - construction and integration, Kaohsiung", "naval", "Hai Kun", src(("janes_ukexport", "first IDS unveiled at CSBC Kaohsiung"), ("ltn_5179493", "海鯤號 SS-711")))
c("csbc", "奮進魔鬼魚號無人船：8.6米三胴體、滿載逾5噸、航速35節以上，可酬載輕型魚雷、高爆炸藥", "naval", "Endeavor Manta", src(("ettoday_usv", "台船奮進魔鬼魚號規格")))
c("csbc", "Endeavor Manta USV line: one boat every 7 to 10 days, about 40 a year, 100% de-reddened supply chain", "naval", "Endeavor Manta", src(("udn_9164197", "台船無人船年產量估40台")))
c("csbc", "ABS approval in principle for the Endeavor Manta design", "", "Endeavor Manta", src(("ltn_5179493", "奮進魔鬼魚號獲ABS原則性設計認可")))
c("csbc", "潛艦救難艦等原型艦建造", "naval", "", src(("ettoday_csbc", "132億潛艦救難艦")))

# Lungteh
c("lungteh", "Fast Mine Laying Boat (FMLB), 41 m, ~347 t, automated mine rails", "naval", "FMLB", src(("armada_minelayer", "Lungteh minelayers"), ("armyrec_minelayer", "six follow-on FMLB")))
c("lungteh", "60 m missile corvettes, 28 m missile boats, 17 m and 15 m multi-purpose attack craft", "naval", "", src(("armada_minelayer", "Lungteh capability list")))
c("lungteh", "黑潮無人艇：抗8G衝擊、100%非紅供應鏈、依需求客製化系統整合", "naval", "Black Tide", src(("udn_9015147", "龍德造船黑潮無人艇"), ("tvbs_usv", "Black Tide withstands 8G")))
c("lungteh", "快奇x黑潮 attack USV built with NCSIST", "naval", "Kuai Chi", src(("ltn_5179493", "龍德的快奇x黑潮"), ("udn_9015147", "與中科院合作3艘快奇無人艇科研案")))
c("lungteh", "高速攔截艇、40公尺工作船、35噸級巡緝艇新造及全壽期保養維修", "naval", "", src(("udn_9228000", "龍德造船新造船合約")))

# Jong Shyn
c("jong-shyn", "Anping-class 600-ton offshore patrol vessels for the Coast Guard - Tuo Chiang-derived hull, 40+ knots, water cannon, missile launchers for wartime conversion", "naval", "Anping class", src(("tn_4500794", "Anping-class by Jong Shyn"), ("tn_3747154", "12 600-ton cutters")))
c("jong-shyn", "100-ton and 35-ton patrol boats", "naval", "", src(("tn_3747154", "52 35-ton patrol ships")))
c("jong-shyn", "中信五號智慧無人船（攜手美商萊多斯）", "naval", "Jong Shyn No.5", src(("ltn_5179493", "中信五號 with Leidos")))

# Arsenals
c("arsenal-202", "軍備局第202廠：國軍多型彈藥研製與生產", "artillery_ammunition", "", src(("udn_9304117", "202廠肩負國軍多型彈藥研製與生產")))
c("arsenal-202", "彈筒所：30公厘以上各式彈藥彈筒製造，105公厘砲彈筒年產2萬枚", "components", "", src(("ltn_5187359", "202廠彈筒所")))
c("arsenal-202", "155 mm high-explosive projectile line; new automated line for 155 mm and 120 mm tank rounds under the special budget", "artillery_ammunition", "", src(("ltn_5258682", "202廠155公厘砲彈產線與120公厘戰車砲彈")))
c("arsenal-202", "彈體及戰車彈產線", "artillery_ammunition", "", src(("ettoday_202", "視察彈筒、彈體及戰車彈等產線")))
c("arsenal-202", "各式迫砲生產", "", "", src(("ettoday_205", "生產各式迫砲的202廠")))
c("arsenal-205", "T65/T91 rifles, T74 and T75 machine guns", "", "T91", src(("ettoday_205", "205兵工廠生產T65步槍、T-74、T-75機槍")))
c("arsenal-205", "5.56 mm and 7.62 mm rifle ammunition - new plant capacity 40 million and 32 million rounds a year", "small_arms_ammunition", "", src(("udn_9232391", "205廠新廠產能")))
c("arsenal-205", "全新自動化槍彈底火生產線（平時年產5000萬顆，戰時7000萬顆）", "small_arms_ammunition", "", src(("ltn_5316376", "205廠槍彈底火生產線")))
c("arsenal-205", "RDX (Hexogen) production line installed with Swiss technology to US military standard", "energetics", "", src(("ettoday_cl20", "205廠依照美軍海掃更標準由瑞士原廠技轉設置生產線")))
c("arsenal-205", "30公厘機砲供製（雲豹甲車）", "components", "Clouded Leopard CM-34", src(("setn_30mm", "軍備局生產製造中心205廠供製30公厘機砲")))
c("arsenal-205", "防護頭盔與抗彈板", "", "", src(("ettoday_205", "防護頭盔和抗彈板也是由此製造")))
c("arsenal-209", "CM-34 Clouded Leopard 8x8 production line at Jiji, Nantou - 6 vehicles a month", "vehicles", "Clouded Leopard CM-34", src(("cna_jp_209", "209廠 annual capacity 72"), ("voa_209", "209廠 line")))
c("arsenal-209", "雲豹八輪甲車組裝及車載整合", "vehicles", "Clouded Leopard CM-34", src(("setn_30mm", "送至209廠組裝車載整合")))
c("arsenal-209", "獵豹105公厘輪型戰車D3樣車", "vehicles", "", src(("ltn_5316376", "209廠研發的獵豹105公厘輪型戰車")))
c("arsenal-209", "CM-34", "", "Clouded Leopard CM-34", src(("cna_cm34", "CM-34")))

# Thunder Tiger
c("thunder-tiger", "SeaShark 800 aluminium USV: 50+ knots, 1,200-1,500 kg payload, swarm operations", "naval", "SeaShark 800", src(("decktv_seashark", "SeaShark 800"), ("mtn_usv", "SeaShark 800 range")))
c("thunder-tiger", "SeaShark 800", "", "SeaShark 800", src(("decktv_seashark", "SeaShark 800")))
c("thunder-tiger", "Seawolf 400 unmanned underwater vehicle", "naval", "Seawolf 400", src(("dailyasia_seawolf", "Seawolf 400")))
c("thunder-tiger", "Blue UAS-cleared military drones, small US military buy; Overkill series", "uas", "", src(("yahoo_tt_blue", "雷虎取得美國藍色無人機清單並獲美軍少量採購")))
c("thunder-tiger", "台中、桃園廠每月可生產1000至2000架無人機", "uas", "", src(("ec_ltn_tadte", "雷虎在台中、桃園各有廠房")))
c("thunder-tiger", "反制無人機：自動起飛攔截、AI辨識追蹤整合機槍平台；反反制技術", "counter_uas", "", src(("udn_9172311", "雷虎反制無人機方式")))
c("thunder-tiger", "Unmanned helicopter with IMSAR radar for reconnaissance", "uas", "", src(("tn_5036449", "Thunder Tiger and IMSAR drone development deal"), ("dailyasia_seawolf", "helicopter drone with US radar company")))

# Drone firms
c("circ", "軍用商規無人機（得標國防部第一波標案）", "uas", "", src(("nownews_drones", "中光電智能機器人得標")))
c("circ", "Hybrid VTOL (HVTOL) drone", "uas", "", src(("digitimes_aero", "CIRC HVTOL drone at Xponential 2025")))
c("circ", "Small and medium reconnaissance drones without China-sourced components", "uas", "", src(("digitimes_tadte", "CIRC selected for commercial-grade drone bids")))
c("circ", "無人機關鍵晶片及模組自主開發", "components", "", src(("udn_9065659", "中光電旗下的智能機器人獲補助計畫")))
c("geosat", "Commercial-grade reconnaissance drones for Taiwan's armed forces", "uas", "", src(("digitimes_tadte", "Geosat")))
c("geosat", "Drone production lines in Taiwan with US and European partners", "uas", "", src(("tn_5036449", "GEOSAT eager to establish drone production lines")))
c("geosat", "物流、農業、訊號中繼及救災多用途無人機", "uas", "", src(("tn_czech", "GeoSat drone demonstration")))
c("egat", "Engine and component MRO incl. GEnx-1B/-2B overhaul; EN 9110 certified", "aircraft", "", src(("egat_press", "EGAT powerplant shop")))
c("egat", "軍用商規無人機得標廠商", "uas", "", src(("nownews_drones", "長榮航太得標")))
c("egat", "Airbus airframe components from the Guanyin plant (2027)", "components", "", src(("udn_9065659", "長榮航太觀音廠空巴機體零組件")))
c("taiwan-uav", "Helicopter-type and VTOL drones - Taiwan's first indigenous UAV maker", "uas", "", src(("amcham_drone", "Taiwan UAV")))
c("taiwan-uav", "智飛科技：軍用商規無人機得標", "uas", "", src(("nownews_drones", "智飛科技得標")))
c("mitac-it", "神通資訊科技：軍用商規無人機得標", "uas", "", src(("nownews_drones", "神通資訊科技得標")))
c("air-asia", "光纖陀螺儀（FOG）導入無人機、無人船", "components", "", src(("ec_ltn_tadte", "亞航的光纖陀螺儀")))
c("air-asia", "銳鳶2號無人機量產32架並負責後續維修", "uas", "銳鳶2號", src(("ec_ltn_tadte", "亞航與中科院合作生產的銳鳶2號")))
c("air-asia", "戊式軍用商規無人機組隊投標", "uas", "", src(("ec_ltn_tadte", "亞航組隊直攻戊式")))
c("air-asia", "Drones and precision sensing technology", "sensors_electronics", "", src(("udn_9018245", "亞航展出多項無人機與精密感測技術")))
c("tron-future", "T.Radar Pro: suitcase-size 15 kg AESA drone radar, 120 degree sector, tracks multiple drones to 5 km", "counter_uas", "T.Radar Pro", src(("cw_tron", "T.Radar Pro")))
c("tron-future", "Anti-drone platform combining AESA radar and RF detection, 6 km; defeats frequency-hopping drones and swarms", "counter_uas", "", src(("digitimes_tron", "Tron Future platform")))
c("tron-future", "Soft-kill electronic warfare and hard-kill interceptor drones against AI-enabled autonomous drones", "counter_uas", "", src(("tronfuture", "Tron Future soft kill and hard kill")))
c("tron-future", "陸軍無人機反制系統（金門、連江部署）", "counter_uas", "", src(("tt_tron", "Tron Future NT$988m counter-drone system")))
c("chunghwa-telecom", "Non-geostationary satellite resilience network: OneWeb LEO and SES MEO, 700 terminal sites", "", "", src(("tt_oneweb", "Chunghwa Telecom network")))
c("chunghwa-telecom", "低軌衛星韌性通訊服務（與數位部合作）", "", "", src(("tn_5951908", "Chunghwa Telecom backup internet")))
c("chunghwa-telecom", "B5G low-earth-orbit communication satellite cooperation", "sensors_electronics", "", src(("tn_5951908", "Chunghwa to cooperate on B5G LEO satellite")))
c("formosa-plastics", "Tairylang PAN-based small-tow carbon fibre", "components", "", src(("ntu_formosa", "Tairylang only Taiwanese carbon fibre maker")))
c("formosa-plastics", "高強度碳纖維，年產能8,750噸", "components", "", src(("ys_formosa", "台塑炭素繊維年産8750トン")))
c("e-one-moli", "Molicel high-power cylindrical lithium-ion cells", "components", "", src(("cw_emoli", "E-One Moli lithium-ion batteries")))
c("e-one-moli", "Molicel高功率電芯獲KULR ONE Air無人機電池系統採用", "components", "KULR ONE Air", src(("udn_molicel", "KULR無人機電池系統採用Molicel")))
c("e-one-moli", "Cell plant at Maple Ridge, B.C. for aerospace and high-performance applications", "components", "", src(("resourceworld_moli", "E-One Moli Maple Ridge plant")))
c("carbon-based-tech", "碳纖複材無人艇（參與中科院水面無人載具展示）", "naval", "", src(("tvbs_usv", "Carbon-Based Technology USV demo")))
c("carbon-based-tech", "碳纖維複合材料軍工與無人機應用", "components", "", src(("ftnn_composites", "碳基")))
c("swancor", "複合材料樹脂，應用於軍工、無人機與離岸風電", "components", "", src(("ftnn_composites", "上緯")))
c("uht-unitech", "Cougar medium-payload VTOL UAV (co-developed with Fong Jaw Aerospace)", "uas", "Cougar", src(("digitimes_defense", "Cougar VTOL UAV")))
c("uht-unitech", "Advanced materials for defence and high-end commercial drones", "components", "", src(("digitimes_defense", "UHT Unitech advanced materials")))
c("fong-jaw", "Cougar", "", "Cougar", src(("digitimes_defense", "Cougar")))
c("getac", "Rugged notebook, tablet and handheld computers for military use", "", "", src(("tt_getac", "Getac rugged computers")))
c("getac", "Aerospace fasteners", "components", "", src(("tt_getac", "aerospace fasteners 8 percent of sales")))
c("transcom", "功率放大器及低雜訊放大器微波元件", "components", "", src(("yahoo_16stocks", "全訊")))
c("chengtian", "飛機起落架零組件（台灣唯一）", "components", "", src(("yahoo_16stocks", "晟田")))
c("baoyi", "航空發動機高溫段零組件", "components", "", src(("yahoo_16stocks", "寶一")))
c("chienfu", "精密零組件整合", "components", "", src(("yahoo_16stocks", "千附精密")))
c("shern-yeong", "High-end optical glass for defence products", "components", "", src(("npr_optics", "Shern Yeong Precise Optical")))
c("hwa-meei", "Shatterproof, bullet-resistant eyewear for soldiers", "", "", src(("npr_optics", "Hwa Meei Optical")))
c("min-chun", "Aerospace precision parts; satellite ground-station platforms", "components", "", src(("digitimes_aero", "Min Chun Precision ground station platforms")))
c("auav-center", "Drone R&D cluster, flight test tracks and test site, Chiayi", "uas", "", src(("diplomat", "Asia UAV AI Innovation Application R&D Center"), ("tn_czech", "testing site planned")))

# Foreign firms
s = src(("dsca_himars", "M142 HIMARS, M57 ATACMS, M31A2 and M30A2 GMLRS"))
c("lockheed-martin", "M142 High Mobility Artillery Rocket System - wheeled launcher firing GMLRS rockets and ATACMS missiles", "rocket_artillery", "HIMARS", src(("dsca_himars", "HIMARS for TECRO"), ("fwmag", "82 HIMARS with ATACMS and GMLRS")))
c("lockheed-martin", "M31A2 GMLRS-U", "", "GMLRS", s)
c("lockheed-martin", "M57 ATACMS", "", "ATACMS", s)
c("lockheed-martin", "MK 48 Mod 6 Advanced Technology heavyweight torpedo - 533 mm, 292.5 kg warhead, below 1,200 ft, over 28 knots", "naval", "MK 48", src(("amr_mk48", "Lockheed Martin MK 48 Mod 6 AT")))
c("lockheed-martin", "Integrated combat system for conventional submarines (SUBICS family)", "sensors_electronics", "", src(("tn_4152187", "integrated combat system from Lockheed Martin"), ("gentleseas", "SUBICS")))
c("lockheed-martin", "F-16 Block 70/72 and F-16V upgrades; technology transfer for regional F-16 sustainment", "aircraft", "F-16", src(("airforcetech_f16", "AIDC-Lockheed F-16 maintenance"), ("tn_3838357", "F-16V")))
c("lockheed-martin", "Javelin fire-and-forget anti-tank missile with Lightweight Command Launch Unit", "anti_tank_missile", "Javelin", src(("fwmag", "1,050 Javelin and 70 LwCLU"), U))
c("lockheed-martin", "AN/TPS-77 long-range air surveillance radar", "sensors_electronics", "", src(("songelisme", "AN/TPS-77 radars for Taiwan"), U))
c("rtx", "FIM-92 Stinger shoulder-fired air defence missile", "air_defence_missile", "Stinger", src(("tn_4526448", "Raytheon Stinger")))
c("rtx", "NASAMS - National Advanced Surface-to-Air Missile System firing AMRAAM and AMRAAM-ER", "air_defence_missile", "NASAMS", src(("db_nasams", "NASAMS with AMRAAM-ER")))
c("rtx", "MK 54 lightweight hybrid torpedo for ships, helicopters and aircraft", "naval", "MK 54", src(("sdf_mk54", "MK 54 co-developed by Raytheon, sole-source production")))
c("rtx", "Digital sonar suite for diesel-electric submarines", "sensors_electronics", "", src(("tn_4152187", "digital sonar system from Raytheon")))
c("rtx", "SeaVue X-band maritime surveillance radar", "sensors_electronics", "SeaVue", src(("amr_mq9b", "Raytheon SeaVue")))
c("rtx", "TOW tube-launched optically tracked wire-guided missile", "anti_tank_missile", "TOW", src(("fwmag", "1,545 TOW missiles"), U))
c("rtx", "Javelin", "", "Javelin", src(U))
c("boeing", "Harpoon Coastal Defense System: launcher transporter units, radar trucks, RGM-84L-4 Harpoon Block II surface-launched missiles", "anti_ship_missile", "Harpoon Coastal Defense System", src(("shephard_hcds", "Boeing HCDS launchers and radar units")))
c("boeing", "RGM-84L-4", "", "Harpoon", src(("shephard_hcds", "RGM-84L-4")))
c("boeing", "UGM-84L submarine-launched Harpoon Block II", "anti_ship_missile", "Harpoon", src(("defnews_subharpoon", "UGM-84L for Taiwan submarines")))
c("boeing", "AGM-84H SLAM-ER standoff land attack missile", "", "SLAM-ER", src(("urdupoint_slamer", "135 AGM-84H SLAM-ER")))
c("northrop-grumman", "Mk44 Bushmaster II 30 mm chain gun (formerly Orbital ATK / Alliant Techsystems)", "components", "Mk44 Bushmaster II", src(("nownews_mk44", "311 MK44 chain guns from Alliant Techsystems"), ("ebc_cm34", "Orbital ATK MK44")))
c("northrop-grumman", "Mk44", "", "Mk44 Bushmaster II", src(("cna_cm34", "MK44")))
c("northrop-grumman", "Multi-option Precision Guidance Kit (PGK) - fuze-well guidance for 155 mm projectiles", "precision_artillery", "PGK", src(("ml_m109", "1,698 multi-option PGK in Paladin package"), U))
c("northrop-grumman", "AN/TPS-78 solid-state air surveillance radar", "sensors_electronics", "", src(("songelisme", "AN/TPS-78 radars for Taiwan"), U))
c("northrop-grumman", "Joint ammunition production with Ukroboronprom", "artillery_ammunition", "", src(("liga_ng", "Northrop Grumman and Ukroboronprom joint ammunition production")))
c("gd-ots", "155 mm artillery metal parts - Scranton Army Ammunition Plant, 36,000 shells a month", "artillery_ammunition", "", src(("liga_scranton", "Scranton 36,000 rounds a month"), ("lincoln_gdots", "GD-OTS managed plant")))
c("gd-ots", "Load, assemble and pack of 155 mm high-explosive projectiles, Camden, 50,000 a month", "artillery_ammunition", "", src(("shephard_155lap", "GD-OTS Camden LAP facility")))
c("l3harris", "WESCAM MX-20 electro-optical/infrared sensor turret", "sensors_electronics", "WESCAM MX-20", src(("amr_mq9b", "L3Harris Wescam MX-20")))
c("l3harris", "Link 16 MIDS platforms and terminals (ex-Viasat TDL business)", "sensors_electronics", "Link 16", src(("federaltimes_l3h", "L3Harris buys Viasat Link 16 business")))
c("l3harris", "SINCGARS frequency-hopping combat net radios (AN/VRC-90E, AN/VRC-92E)", "sensors_electronics", "SINCGARS", src(("dsca_himars", "SINCGARS AN/VRC-90E and -92E in package"), U))
c("ga-asi", "MQ-9B SeaGuardian - maritime radar, sonobuoy pods, 40+ hour endurance, weapons-ready", "uas", "MQ-9B", src(("db_mq9b", "SeaGuardian features"), ("amr_mq9b", "weapons-ready MQ-9B")))
c("ga-asi", "MQ-9B", "", "MQ-9B", src(("db_mq9b", "MQ-9B")))
c("ga-asi", "Certifiable ground control stations", "uas", "MQ-9B", src(("db_mq9b", "two certifiable ground control stations")))
c("anduril", "Altius-600M loitering munition - land, air or sea launch, up to 4 h and 440 km, anti-jam, HEAT warhead", "loitering_munition", "Altius-600M", src(("menafn_altius", "Altius-600M features"), ("dd_altius", "291 Altius 600M-V")))
c("anduril", "Altius-700M", "", "Altius-700M", src(("fwmag", "ALTIUS-700M for Taiwan")))
c("anduril", "Taiwan office; cooperation with NCSIST and Taiwanese firms toward local production", "", "", src(("nsbt_anduril", "Anduril Taiwan office")))
c("aerovironment", "Switchblade 300 tube-launched anti-personnel/anti-armour loitering munition, 1.7 kg, 20+ min", "loitering_munition", "Switchblade 300", src(("flightglobal_lm", "Switchblade 300"), ("dd_altius", "720 Switchblade 300")))
c("aerovironment", "SB300", "", "Switchblade 300", src(("dd_altius", "SB300 fire control systems")))
c("honeywell", "F124-GA-200TW non-afterburning turbofan (with ITEC)", "aircraft", "F124", src(("forcaaerea_t5", "Honeywell/ITEC F124-200TW"), ("defensemirror_t5", "Honeywell/ITEC F124")))
c("teledyne-flir", "Black Hornet 4 nano-drone: 70 g, 12 MP day camera and thermal imager, 30+ minutes, 2 km", "uas", "Black Hornet", src(("usatoday_hornet4", "Black Hornet 4")))
c("teledyne-flir", "Black Hornet 3", "", "Black Hornet", src(("explica_flir", "Black Hornet 3 orders")))
c("teledyne-flir", "R80D SkyRaider UAS", "uas", "SkyRaider", src(("mil_embedded_skyraider", "R80D SkyRaider")))
c("teledyne-flir", "Thermal imaging cameras", "sensors_electronics", "", src(("explica_flir", "FLIR the well-known thermal camera company")))
c("skydio", "Autonomous small reconnaissance drones built on a non-China supply chain", "uas", "", src(("dset", "Skydio in drone supply chain dialogue"), ("udn_9164225", "Taiwanese firms cooperate with Skydio")))
c("shield-ai", "V-BAT vertical take-off ducted-fan UAS: 13+ h endurance, AI-enabled EO sensors, resists GPS jamming, two-person crew", "uas", "V-BAT", src(("gamereactor_vbat", "MQ-35 V-BAT")))
c("shield-ai", "MQ-35", "", "V-BAT", src(("gamereactor_vbat", "MQ-35 V-BAT")))
c("shield-ai", "Autonomy software that has flown fighter jets", "", "", src(("daily8_shield", "Shield AI autonomous piloting software")))
c("hii", "REMUS 300 man-portable UUV, 30 h", "naval", "REMUS", src(("eb_remus", "REMUS 300")))
c("hii", "REMUS 620 medium-class UUV: 110 h, 275 nm, mine countermeasures, hydrography, ISR, EW", "naval", "REMUS", src(("mtn_remus620", "REMUS 620")))
c("hii", "Unmanned maritime systems for Taiwan's sea-drone programme", "naval", "", src(("mtn_usv", "Huntington Ingalls prospective contributions")))
c("leidos", "Smart unmanned surface vessels with Jong Shyn Shipbuilding", "naval", "Jong Shyn No.5", src(("ltn_5179493", "中信聯手美商萊多斯")))
c("imsar", "Compact synthetic aperture radar for unmanned helicopters", "sensors_electronics", "", src(("tn_5036449", "IMSAR radar developer"), U))
c("bell", "Military helicopter maintenance partnership with AIDC", "aircraft", "", src(("udn_9018245", "AIDC-Bell")))
c("bell", "AH-1W", "", "AH-1W", src(("fwmag", "AH-1W spares and support")))
c("orbital-composites", "Carbon-fibre composite 3D printing", "components", "", src(("udn_9018245", "Orbital Composites")))
c("maxar", "3D geospatial data for vision-based navigation of drones without GPS", "sensors_electronics", "", src(("udn_9018245", "MAXAR")))
c("kulr", "KULR ONE Air drone battery system", "components", "KULR ONE Air", src(("udn_molicel", "KULR ONE Air")))
c("amprius", "High-energy-density lithium cells for long-endurance drone batteries", "components", "KULR ONE Air", src(("udn_molicel", "Amprius cells")))
c("viasat", "Link 16 MIDS-LVT terminals - one of two qualified US manufacturers", "sensors_electronics", "Link 16", src(("ausdef_mids", "ViaSat MIDS-LVT")))
c("viasat", "Link 16 terminal on a LEO small satellite", "sensors_electronics", "Link 16", src(("spacenews_viasat", "Viasat Link 16 satellite")))
c("hexcel", "Aerospace-grade carbon fibre and composite materials for military aircraft and drones", "components", "", src(("globalpi_hexcel", "Hexcel")))
c("bae-systems", "M109A7 Paladin 155 mm self-propelled howitzer with M992A3 ammunition carrier", "artillery_system", "M109A7", src(("zona_m109a7", "M109A7 produced by BAE Systems"), ("gdc_m109a7", "BAE offers M109A7")))
c("bae-systems", "M88A2 Hercules", "", "M88A2", src(("gdc_m109a7", "M88A2")))
c("bae-systems", "155 mm artillery shells - UK output up sixteen-fold", "artillery_ammunition", "", src(("chosun_bae155", "BAE 155mm production increase")))
c("chemring", "Chemring Nobel: HMX, RDX and NTO military explosives", "energetics", "", src(("sharecast_chemring", "Chemring Nobel")))
c("mbda", "Mistral 3 very-short-range air defence missile - MANPADS and vehicle launchers, engages low-signature missiles and UAVs", "air_defence_missile", "Mistral 3", src(("aircosmos_mistral", "Mistral 3")))
c("mbda", "Mistral production rate quadrupled since 2022", "air_defence_missile", "Mistral 3", src(("raids_mistral", "2,000th Mistral")))
c("thales", "MU90 lightweight torpedo (EuroTorp)", "naval", "MU90", src(("seawaves_mu90", "EuroTorp members"), ("armyrec_mu90", "Thales Australia MU90")))
c("naval-group", "MU90", "", "MU90", src(("seawaves_mu90", "EuroTorp members")))
c("eurenco", "Propellant powders, explosives and modular charges for 155 mm artillery", "energetics", "", src(("eurenco_asap", "Eurenco powders, explosives, modular charges")))
c("eurenco", "Large-calibre gunpowder line at Bergerac, 1,200 t a year, 500,000 modular charges", "energetics", "", src(("news24_eurenco", "Bergerac")))
c("eutelsat", "OneWeb low-earth-orbit broadband constellation; coverage of Taiwan via ground stations in Japan, Guam and Thailand", "", "OneWeb", src(("tt_oneweb", "OneWeb coverage")))
c("rheinmetall", "155 mm artillery ammunition - major production expansion", "artillery_ammunition", "", src(("shephard_155lap", "Rheinmetall 155mm"), ("liga_scranton", "largest order in Rheinmetall history")))
c("rheinmetall", "Loitering munitions with UVision", "loitering_munition", "Hero", src(("traderfox_uvision", "Rheinmetall and UVision")))
c("rheinmetall", "Spike (Eurospike partner)", "anti_tank_missile", "Spike", src(("analisidifesa_spike", "Eurospike")))
c("rheinmetall", "Modular propellant charges for 155 mm", "energetics", "", src(("news24_eurenco", "powder purchased from German suppliers"), U))
c("diehl", "Spike LR2 production in Germany through Eurospike", "anti_tank_missile", "Spike", src(("analisidifesa_spike", "Eurospike in Roethenbach")))
c("fincantieri", "MU90 lightweight torpedoes from the WASS Livorno plant", "naval", "MU90", src(("informare_wass", "WASS MU90")))
c("fincantieri", "Black Shark Advanced 533 mm wire-guided heavyweight torpedo (Livorno)", "naval", "Black Shark", src(("portal_blackshark", "Black Shark Advanced, Livorno")))
c("leonardo", "SAGE 750 electronic surveillance measures", "sensors_electronics", "SAGE", src(("amr_mq9b", "Leonardo SAGE 750 ESM")))
c("leonardo", "M-346 Master advanced jet trainer", "aircraft", "", src(("wiki_t5", "Alenia Aermacchi M-346")))
c("kongsberg", "NASAMS fire units (with Raytheon)", "air_defence_missile", "NASAMS", src(("db_nasams", "Raytheon-Kongsberg NASAMS")))
c("kongsberg", "HUGIN 1000 autonomous underwater vehicle", "naval", "HUGIN", src(("pronews_hugin", "Hugin 1000")))
c("nammo", "155 mm IM HE-ER artillery shells", "artillery_ammunition", "", src(("nammo_deal", "155mm IM HE-ER")))
c("nammo", "120 mm tank ammunition and solid rocket motors for AMRAAM", "energetics", "", src(("regjeringen_nammo", "120 mm shells and rocket motors")))
c("nammo", "Sidewinder rocket motors - 55,000 produced", "energetics", "", src(("tu_nammo", "Nammo Sidewinder motors")))
c("nammo", "Ammunition from 5.56x45 mm NATO to 120 mm", "small_arms_ammunition", "", src(("lokalhist_nammo", "Nammo calibres")))
c("saab", "RBS 70 NG short-range air defence with Mk II missile (7 km range, 4 km altitude)", "air_defence_missile", "RBS 70 NG", src(("letribunal_rbs70", "RBS 70 NG"), ("corren_rbs70", "Mk II missile")))
c("patria", "AMV XP 8x8 armoured modular vehicle - IFV, APC and mortar variants", "vehicles", "AMV XP", src(("db_patria_jsw", "AMV XP"), ("wp_amv", "AMV XP modularity")))
c("patria", "AMV licensed production (Rosomak)", "vehicles", "AMV XP", src(("dw_rosomak", "Rosomak")))
c("damen", "Stan Patrol 4207, 4708 and Sea Axe 5009 patrol vessels", "naval", "Stan Patrol", src(("damen_mag", "Stan Patrol 5009")))
c("damen", "SPa 2606 patrol boat design for FMS (with Metal Shark)", "naval", "Stan Patrol", src(("marinelog_damen", "Damen SPa 2606")))
c("elbit", "Hermes 900 MALE UAS - heavy fuel engine, SAR, EO with laser designator, 36 h", "uas", "Hermes 900", src(("efk_hermes", "Hermes 900 HFE"), ("dronezine_hermes", "36 hours")))
c("elbit", "Skylark man-portable mini-UAV", "uas", "Skylark", src(("jpost_skylark", "Skylark")))
c("rafael", "Spike LR2 electro-optical anti-tank missile, 5.5 km, ground, sea and air launch", "anti_tank_missile", "Spike", src(("analisidifesa_spike", "Spike LR2"), ("israeleconomico_spike", "Spike family")))
c("rafael", "Drone Dome: detection, identification and laser neutralisation of micro and mini UAVs", "counter_uas", "Drone Dome", src(("sott_dronedome", "Drone Dome")))
c("iai", "Harop loitering munition - hunts radars, up to 6 h loiter", "loitering_munition", "Harop", src(("uproxx_harop", "Harop")))
c("iai", "Heron 1 MALE UAS", "uas", "Heron", src(("usts_heron", "Heron 1")))
c("uvision", "Hero loitering munitions family", "loitering_munition", "Hero", src(("traderfox_uvision", "UVision"), ("udn_9164225", "Taiwanese firms cooperate with Hero")))
c("toray", "Carbon fibre and composite prepreg for aerospace and defence (Decatur, Spartanburg, Tacoma)", "components", "", src(("ir_toray", "Toray Composite Materials America")))
c("mhi", "MAV wheeled armoured vehicle", "vehicles", "", src(("wp_amv", "Mitsubishi Heavy Industries MAV")))
c("mhi", "Conventional submarines for the JMSDF", "naval", "", src(("gentleseas", "retired MHI experts"), U))
c("japan-steel-works", "Licence manufacture of Patria AMV XP 8x8 for the JGSDF", "vehicles", "AMV XP", src(("db_patria_jsw", "JSW licence")))
c("kawasaki", "Submarine construction for the JMSDF", "naval", "", src(("gentleseas", "retired Kawasaki experts"), U))
c("hanwha-aerospace", "K239 Chunmoo multiple rocket launcher - 239 mm guided rockets to 80 km, 600 mm CTM-290 missile to 290 km", "rocket_artillery", "Chunmoo", src(("polygon_k9", "K239 Chunmoo"), ("db_chunmoo", "CTM-290")))
c("hanwha-aerospace", "K9 155 mm self-propelled howitzer", "artillery_system", "K9", src(("yna_chunmoo", "K9"), ("polygon_k9", "K9 rollout")))
c("hanwha-aerospace", "K239", "", "Chunmoo", src(("yna_chunmoo", "K239 Chunmoo")))
c("poongsan", "155 mm projectiles, 120 mm tank rounds, small-arms ammunition, gunpowder and propellants", "artillery_ammunition", "", src(("aju_poongsan", "Poongsan produces almost all kinds of ammunition"), ("cpb_poongsan", "155mm and 120mm")))
c("poongsan", "K310 DPICM base-bleed 155 mm (co-production with Pakistan Ordnance Factories)", "artillery_ammunition", "", src(("amr_poongsan", "K310")))
c("hyundai-rotem", "K2 Black Panther main battle tank", "vehicles", "K2", src(("cpb_poongsan", "Hyundai Rotem K2")))
c("baykar", "Bayraktar TB2 armed MALE UAV", "uas", "Bayraktar TB2", src(("gzt_baykar", "TB2 exports"), ("azer_baykar", "interest from Asia")))
c("austal", "Cape-class patrol boats; Bay and Guardian class patrol boats", "naval", "Cape class", src(("adbr_austal", "Austal patrol boats")))
c("csg", "MSM North America large-calibre ammunition complex - up to 36,000 155 mm rounds a month", "artillery_ammunition", "", src(("latestdef_csg", "CSG MSM North America")))
c("wb-group", "Local production of CGR-080 guided rockets for Chunmoo (Hanwha WB Advanced Systems JV)", "rocket_artillery", "Chunmoo", src(("joongang_hwb", "Hanwha-WB JV")))

# Extra lines: bare designations, marketing sentences, long lines, Chinese lines
c("ncsist", "TC-2N", "", "Tien Chien II", src(("janes_ncsist", "Tien Chien II N")))
c("ncsist", "Brave Wind III (HF-IIE family) - more than three-fold missile output after the NT$7 billion facility upgrade", "", "Hsiung Feng III", src(("janes_ncsist", "capacity increase more than three-fold")))
c("ncsist", "雄風三型年產20枚、天劍二型年產40枚、天弓三型年產48套", "", "", src(("tt_20220312", "NCSIST annual production figures")))
c("ncsist", "Sky Bow III", "air_defence_missile", "Tien Kung III", s := src(("tt_20220312", "Tien Kung (Sky Bow)")))
c("ncsist", "無人機國家隊整合者：技術移轉民間廠商、委製五型軍用無人機", "uas", "", src(("pts_621661", "NCSIST as consolidator of the national drone team")))
c("ncsist", "From ramjet anti-ship missiles to radar-hunting drones and explosive sea drones, the institute designs, builds and sustains Taiwan's own strike and air-defence weapons, and transfers technology to private industry", "", "", src(("digitimes_tadte", "NCSIST product range"), ("pts_621661", "technology transfer")))
c("ncsist", "Chien Hsiang", "", "Chien Hsiang", src(("digitimes_tadte", "Chien Hsiang")))
c("aidc", "Sixty-six T-5 trainers for the Air Force by 2026 (NT$68.6 billion programme)", "aircraft", "T-5 Brave Eagle", src(("militaryleak_t5", "66 aircraft TWD68.6 billion")))
c("aidc", "漢翔：亞太首座F-16維修中心，縮短維修時間、提高妥善率", "aircraft", "F-16", src(("chinapost_f16", "first F-16 maintenance centre in Asia")))
c("aidc", "F-16V", "", "F-16", src(("tn_3838357", "F-16V")))
c("aidc", "Military commercial-grade drones and production support for other drone-alliance members", "uas", "", src(("ec_ltn_tadte", "AIDC supports drone alliance production")))
c("csbc", "SS-711", "", "Hai Kun", src(("ltn_5179493", "海鯤號（SS-711）")))
c("csbc", "Endeavor Manta", "", "Endeavor Manta", src(("decktv_seashark", "Endeavor Manta")))
c("csbc", "自主研發遙導控系統：4G、衛星及射頻多模式遙控，群控模式、AI目標辨識、反劫持自毀", "naval", "Endeavor Manta", src(("ettoday_csbc", "魔鬼魚遙導控系統")))
c("lungteh", "黑潮", "", "Black Tide", src(("udn_9015147", "黑潮")))
c("lungteh", "FMLB-1", "", "FMLB", src(("armyrec_minelayer", "FMLB-1")))
c("lungteh", "龍德造船：海軍快速布雷艇唯一建造廠", "naval", "FMLB", src(("armyrec_minelayer", "Lungteh sole builder")))
c("jong-shyn", "CG605 Qijin and CG606 Bali", "", "Anping class", src(("tn_4500794", "Qijin and Bali")))
c("jong-shyn", "安平級600噸巡防艦", "naval", "Anping class", src(("tn_4500794", "Anping-class 600-ton")))
c("arsenal-202", "155公厘砲彈產線（現有產能未全開，規劃自動化新線）", "artillery_ammunition", "", src(("ltn_5258682", "202廠155公厘砲彈產能並未全開")))
c("arsenal-205", "T91", "", "T91", src(("ettoday_205", "T91")))
c("arsenal-205", "新廠7.62公厘步槍彈年產3200萬發、5.56公厘年產4000萬發", "small_arms_ammunition", "", src(("udn_9232391", "205廠新廠產能")))
c("thunder-tiger", "Sea Shark 400", "", "", src(("armyrec_usv2023", "Sea Shark 400 (Thunder Tiger)")))
c("thunder-tiger", "Seawolf 400", "", "Seawolf 400", src(("dailyasia_seawolf", "Seawolf 400")))
c("thunder-tiger", "We can fill the Taiwan Strait with danger and risk: fast explosive sea drones, controlled by a single operator, launched from any harbour", "naval", "SeaShark 800", src(("decktv_seashark", "SeaShark remote control modes"), ("mtn_usv", "SeaShark 800")))
c("tron-future", "T.Radar Pro", "", "T.Radar Pro", src(("cw_tron", "T.Radar Pro")))
c("tron-future", "AESA反無人機雷達，偵測距離達6公里，可反制跳頻無人機與蜂群", "counter_uas", "", src(("digitimes_tron", "AESA and RF, 6 km")))
c("geosat", "經緯航太：與美商洽談在台建立無人機產線", "uas", "", src(("tn_5036449", "GEOSAT production lines")))
c("circ", "中光電智能機器人：混合垂直起降（HVTOL）無人機", "uas", "", src(("digitimes_aero", "HVTOL")))
c("egat", "長榮航太：GE引擎維修與空巴零組件", "aircraft", "", src(("udn_9065659", "長榮航太GE引擎與空巴")))
c("e-one-moli", "Molicel", "", "", src(("udn_molicel", "Molicel")))
c("formosa-plastics", "台塑碳纖維（Tairylang）小絲束碳纖維，全球第四大", "components", "", src(("ntu_formosa", "Formosa Plastics fourth largest")))
c("chunghwa-telecom", "中華電信：OneWeb低軌衛星24小時覆蓋，SES中軌衛星備援", "", "", src(("tt_oneweb", "Chunghwa OneWeb and SES")))
c("lockheed-martin", "HIMARS", "", "HIMARS", s2 := src(("dsca_himars", "HIMARS")))
c("lockheed-martin", "MK 48 Mod 6 AT", "", "MK 48", src(("amr_mk48", "MK 48 Mod 6 AT")))
c("lockheed-martin", "Proven on every continent: long-range precision fires that shoot and scoot, with two pods of six guided rockets or one tactical missile per launcher", "", "HIMARS", src(("dsca_himars", "HIMARS with GMLRS and ATACMS"), U))
c("rtx", "FIM-92", "", "Stinger", src(("tn_4526448", "Stinger")))
c("rtx", "AMRAAM-ER", "", "NASAMS", src(("db_nasams", "AMRAAM Extended Range")))
c("rtx", "MK 54", "", "MK 54", src(("navaltech_mk54", "mk54 lightweight hybrid torpedoes")))
c("boeing", "HCDS", "", "Harpoon Coastal Defense System", src(("shephard_hcds", "HCDS")))
c("boeing", "AGM-84L Harpoon Block II air-launched anti-ship missile", "anti_ship_missile", "Harpoon", src(("shephard_hcds", "60 AGM-84L Block-2 for F-16A")))
c("ga-asi", "SkyGuardian", "", "MQ-9B", src(("tn_5036449", "SkyGuardian")))
c("anduril", "Altius 600M-V", "", "Altius-600M", src(("dd_altius", "Altius 600M-V")))
c("anduril", "Pneumatic integrated launch system and transport trailers for Altius", "loitering_munition", "Altius-600M", src(("dd_altius", "pneumatic integrated launch systems")))
c("kongsberg", "NASAMS", "", "NASAMS", src(("db_nasams", "NASAMS")))
c("nammo", "155mm IM HE-ER", "", "", src(("nammo_deal", "155mm IM HE-ER")))
c("hanwha-aerospace", "K9 Thunder", "", "K9", src(("polygon_k9", "K9")))
c("hanwha-aerospace", "HOMAR-K launcher on Jelcz 8x8 for Poland", "rocket_artillery", "Chunmoo", src(("db_chunmoo", "HOMAR-K")))
c("elbit", "Hermes 900 HFE", "", "Hermes 900", src(("efk_hermes", "Hermes 900 HFE")))
c("rafael", "Spike LR2", "", "Spike", src(("analisidifesa_spike", "Spike LR2")))
c("rafael", "More than 34,000 Spike missiles delivered to over forty countries", "anti_tank_missile", "Spike", src(("israeleconomico_spike", "34,000 delivered")))
c("iai", "Harop", "", "Harop", src(("uproxx_harop", "Harop")))
c("mbda", "Mistral 3", "", "Mistral 3", src(("aircosmos_mistral", "Mistral 3")))
c("saab", "RBS 70 NG", "", "RBS 70 NG", src(("letribunal_rbs70", "RBS 70 NG")))
c("patria", "AMVXP", "", "AMV XP", src(("db_patria_jsw", "AMV XP")))
c("hii", "REMUS 620", "", "REMUS", src(("mtn_remus620", "REMUS 620")))
c("teledyne-flir", "Black Hornet 4", "", "Black Hornet", src(("usatoday_hornet4", "Black Hornet 4")))
c("shield-ai", "V-BAT", "", "V-BAT", src(("gamereactor_vbat", "V-BAT")))
c("fincantieri", "Black Shark Advanced", "", "Black Shark", src(("portal_blackshark", "Black Shark Advanced")))
c("leonardo", "SAGE 750", "", "SAGE", src(("amr_mq9b", "SAGE 750")))
c("l3harris", "MX-20", "", "WESCAM MX-20", src(("amr_mq9b", "MX-20")))
c("l3harris", "AN/VRC-92E", "", "SINCGARS", src(("dsca_himars", "AN/VRC-92E")))
c("bae-systems", "M109A7", "", "M109A7", src(("zona_m109a7", "M109A7")))
c("bae-systems", "M992A3", "", "M109A7", src(("zona_m109a7", "M992A3 ammunition resupply vehicles")))
c("baykar", "TB2", "", "Bayraktar TB2", src(("gzt_baykar", "TB2")))
c("damen", "Stan Patrol 5009", "", "Stan Patrol", src(("damen_mag", "Stan Patrol 5009")))
c("austal", "Cape class", "", "Cape class", src(("adbr_austal", "Cape class")))
c("eurenco", "Modular charges", "", "", src(("eurenco_asap", "modular charges")))
c("chemring", "RDX", "", "", src(("sharecast_chemring", "RDX")))
c("gd-ots", "Scranton Army Ammunition Plant 155 mm projectile bodies, forged and machined, shipped to Iowa for filling", "artillery_ammunition", "", src(("liga_scranton", "Scranton blanks sent to Iowa")))
c("viasat", "MIDS-LVT", "", "Link 16", src(("ausdef_mids", "MIDS-LVT")))
c("toray", "Toray prepreg", "", "", src(("ir_toray", "prepreg")))
c("hexcel", "Vertically integrated carbon fibre, reinforcement fabrics, composite materials and engineered structures", "components", "", src(("globalpi_hexcel", "Hexcel aerospace carbon fiber")))
c("poongsan", "155 mm for K9, 120 mm for K2", "", "", src(("cpb_poongsan", "Poongsan 155mm and 120mm")))
c("uvision", "Hero", "", "Hero", src(("udn_9164225", "Hero")))
c("csg", "155 mm", "", "", src(("latestdef_csg", "155mm rounds")))
c("anduril", "Autonomous loitering munitions with collaborative teaming and coordinated strike", "loitering_munition", "Altius-600M", src(("dd_altius", "autonomous coordinated strike")))
c("aerovironment", "Switchblade", "", "Switchblade 300", src(("flightglobal_lm", "Switchblade 300 and 600")))

# ---------------------------------------------------------------- codevelopers
# (system, partner_id, source)
CODEV = [
 ("NASAMS", "rtx", src(("db_nasams", "joint project by Raytheon and Kongsberg"))),
 ("NASAMS", "kongsberg", src(("db_nasams", "joint project by Raytheon and Kongsberg"))),
 ("Spike", "rafael", src(("analisidifesa_spike", "Eurospike JV of Diehl, Rheinmetall Electronics and Rafael"))),
 ("Spike", "diehl", src(("analisidifesa_spike", "Eurospike JV"))),
 ("Spike", "rheinmetall", src(("analisidifesa_spike", "Eurospike JV"))),
 ("MU90", "thales", src(("seawaves_mu90", "EuroTorp members Thales, Naval Group, Leonardo"))),
 ("MU90", "naval-group", src(("seawaves_mu90", "EuroTorp members"))),
 ("MU90", "leonardo", src(("seawaves_mu90", "EuroTorp members"))),
 ("MU90", "fincantieri", src(("informare_wass", "WASS (Fincantieri) builds MU90 in Livorno"))),
 ("Chunmoo", "hanwha-aerospace", src(("yna_chunmoo", "Hanwha Chunmoo"))),
 ("Chunmoo", "wb-group", src(("joongang_hwb", "Hanwha WB Advanced Systems JV for Chunmoo missiles"))),
 ("T-5 Brave Eagle", "aidc", src(("amr_t5", "AIDC with NCSIST"))),
 ("T-5 Brave Eagle", "ncsist", src(("amr_t5", "AIDC with NCSIST"))),
 ("F124", "honeywell", src(("wiki_t5", "ITEC joint partnership of Honeywell and AIDC"))),
 ("F124", "aidc", src(("wiki_t5", "ITEC joint partnership of Honeywell and AIDC"))),
 ("Clouded Leopard CM-34", "arsenal-209", src(("setn_30mm", "209廠組裝車載整合"))),
 ("Clouded Leopard CM-34", "arsenal-205", src(("setn_30mm", "205廠供製30公厘機砲"))),
 ("Clouded Leopard CM-34", "ncsist", src(("setn_30mm", "中科院整合砲塔"))),
 ("Clouded Leopard CM-34", "northrop-grumman", src(("ebc_cm34", "MK44 from Orbital ATK (now Northrop Grumman)"))),
 ("AMV XP", "patria", src(("db_patria_jsw", "Patria AMV XP"))),
 ("AMV XP", "japan-steel-works", src(("db_patria_jsw", "JSW licence manufacture"))),
 ("Cougar", "uht-unitech", src(("digitimes_defense", "UHT Unitech and Fong Jaw MOU"))),
 ("Cougar", "fong-jaw", src(("digitimes_defense", "UHT Unitech and Fong Jaw MOU"))),
 ("Kuai Chi", "ncsist", src(("udn_9015147", "龍德與中科院合作快奇無人艇科研案"))),
 ("Kuai Chi", "lungteh", src(("udn_9015147", "龍德與中科院合作快奇無人艇科研案"))),
 ("KULR ONE Air", "kulr", src(("udn_molicel", "KULR ONE Air"))),
 ("KULR ONE Air", "e-one-moli", src(("udn_molicel", "Molicel cells"))),
 ("KULR ONE Air", "amprius", src(("udn_molicel", "Amprius cells"))),
 ("銳鳶2號", "ncsist", src(("ec_ltn_tadte", "亞航與中科院合作生產"))),
 ("銳鳶2號", "air-asia", src(("ec_ltn_tadte", "亞航與中科院合作生產"))),
 ("F-16", "lockheed-martin", src(("tn_3838357", "AIDC and Lockheed Martin F-16 maintenance centre"))),
 ("F-16", "aidc", src(("tn_3838357", "AIDC and Lockheed Martin F-16 maintenance centre"))),
 ("FMLB", "lungteh", src(("armada_minelayer", "Lungteh-built minelayers"))),
 ("FMLB", "ncsist", src(("armada_minelayer", "NCSIST automated mine laying system"))),
 ("Jong Shyn No.5", "jong-shyn", src(("ltn_5179493", "中信聯手萊多斯"))),
 ("Jong Shyn No.5", "leidos", src(("ltn_5179493", "中信聯手萊多斯"))),
 ("Javelin", "lockheed-martin", src(U)),
 ("Javelin", "rtx", src(U)),
 ("Hero", "uvision", src(("traderfox_uvision", "Rheinmetall and UVision loitering munition"))),
 ("Hero", "rheinmetall", src(("traderfox_uvision", "Rheinmetall and UVision loitering munition"))),
]

# ---------------------------------------------------------------- countries
COUNTRIES = [
 ("United States", "open", "Sells arms to Taiwan under the Taiwan Relations Act through FMS notifications to TECRO", src(("dsca_himars", "FMS to TECRO consistent with Public Law 96-8"))),
 ("Taiwan", "open", "Home country of the local co-producers", src(("udn_9162977", "MND requires production in Taiwan"))),
 ("United Kingdom", "case_by_case", "Grants export licences to Taiwan case by case; record submarine component licences in 2022", src(("tt_uk", "UK licences case-by-case"), ("janes_ukexport", "submarine SIELs"))),
 ("France", "reluctant", "Honours existing contracts (Lafayette frigate decoy upgrade) but China pressure has kept new sales away since the 1990s", src(("ibtimes_france", "France respects commitments"), ("nti_nl", "Chinese pressure prevented sales"))),
 ("Germany", "reluctant", "No known licensed German weapon exports to Taiwan; components reach Taiwan's submarine programme only indirectly", src(("tt_reuters_sub", "technology from at least seven nations"), U)),
 ("Italy", "case_by_case", "Alenia Aermacchi signed a 2014 MOU to assemble the M-346 in Taiwan", src(("wiki_t5", "2014 MOU to assemble M-346 in Taiwan"))),
 ("Norway", "reluctant", "Norwegian systems reach Taiwan only through US-led sales (NASAMS with Raytheon); strict export rules", src(("db_nasams", "NASAMS via US sale"), ("lokalhist_norway", "Norwegian export restrictions"))),
 ("Sweden", "reluctant", "No reported Swedish arms exports to Taiwan", src(U)),
 ("Finland", "reluctant", "No reported Finnish arms exports to Taiwan", src(U)),
 ("Netherlands", "reluctant", "1984 communique with China barred strategic exports to Taiwan after the submarine sale; spare parts still flow", src(("nti_nl", "1984 joint communique"), ("stopwapen_nl", "submarine spare parts exported"))),
 ("Israel", "case_by_case", "Discreet partnership; Taiwan seeking Israeli air-defence and counter-drone take-over technology", src(("intelonline_israel", "Israel-Taiwan discreet partnership"), ("ltn_5255878", "Israeli take-over capability"))),
 ("Japan", "reluctant", "Arms-export principles restrict lethal exports; 2026 revision allows exceptions, none to Taiwan reported", src(("meti_japan", "Three Principles"), ("milosi_japan", "2026 revision"))),
 ("South Korea", "reluctant", "Fast-growing exporter but no arms sales to Taiwan reported", src(("tt_korea", "South Korean arms exports"), U)),
 ("Turkey", "reluctant", "Cultivates defence ties with China; no arms transfers to Taiwan reported", src(("scmp_turkey", "China eyes defence cooperation with Turkey"), U)),
 ("Australia", "reluctant", "No military exchange with Taiwan; only informal ties", src(("tt_australia", "no military exchange between Taiwan and Australia"))),
 ("Czech Republic", "case_by_case", "Active drone-industry cooperation with Taiwan", src(("tn_czech", "Czech drone cooperation"), ("natint_drones", "Czech Republic drone cooperation"))),
 ("Poland", "case_by_case", "Taiwan-Poland drone joint ventures; Poland is the largest buyer of Taiwanese drones", src(("europesays_poland", "joint ventures with Poland"))),
]

# ---------------------------------------------------------------- requirements
# (id, title, description, category, quantity, unit, priority, source)
R = [
 ("BL2-001", "Wheeled launchers for salvo-fired guided rockets and single long-range tactical ballistic missiles, with resupply trucks and fire-direction systems",
  "Shoot-and-scoot precision fires out to 300 km; launcher must carry either six-round guided rocket pods or one tactical missile; field artillery data system interface.",
  "rocket_artillery", "82", "launchers", "high", src(("dsca_himars", "82 launchers, 420 missiles, 1,203 rocket pods requested"))),
 ("BL2-002", "155公厘榴彈全自動化生產線建置案",
  "於軍備局兵工廠建置155公厘高爆榴彈彈體加工、裝填、組裝全自動化產線，並優化現行砲彈產線，降低外購比例、增加戰備存量。",
  "", "", "", "high", src(("ltn_5187359", "155砲彈全自動生產線 NT$14 billion"), ("ltn_5258682", "擴充產線，降低外購比例"))),
 ("BL2-003", "Man-portable infrared-homing surface-to-air missile rounds with reusable gripstocks for dismounted air-defence teams",
  "Delayed foreign deliveries; need a second source or local production of short-range, passively guided shoulder-launched missiles.",
  "air_defence_missile", "250", "missiles", "high", src(("tn_4526448", "250 missiles on order, delivery risk"))),
 ("BL2-004", "Pneumatically or tube-launched one-way attack air vehicles with EO/IR seeker, multi-hour loiter and anti-armour warhead",
  "Operator must be able to control several vehicles; jam-resistant datalink; land, ship or air launch.",
  "", "1011", "rounds", "high", src(("dd_altius", "291 plus 720 loitering munitions approved"))),
 ("BL2-005", "岸置機動反艦飛彈系統（含發射車、雷達車及訓練彈）籌購案",
  "建立機動岸置反艦火力，監控近岸海上交通，攔截反制登陸船團及海上封鎖；系統需能融入現有海岸防衛指管。",
  "anti_ship_missile", "400", "missiles", "high", src(("shephard_hcds", "400 coastal anti-ship missiles, 100 launchers, 25 radar trucks"))),
 ("BL2-006", "可攜式無人機反制系統採購案",
  "被動偵測範圍4公里，全天候反制範圍2公里以上，具接管或仿真、干擾功能；可車載或艦載，1至2人15分鐘內完成架設；分配陸、海、空軍及資通電軍。",
  "counter_uas", "635", "systems", "high", src(("ltn_5235203", "635套可攜式無人機反制系統規格"))),
 ("BL2-007", "攻擊型（自殺）水面無人載具籌獲案",
  "最大航速至少35節、航程至少250浬，可自主識別、航行避碰，抗蒲福風級4級以上海象，具蜂群作戰能力；搭載光學/紅外模組，24浬外回傳影像，抗衛星導航及無線電干擾；嚴禁中資及陸製零組件。",
  "", "1320", "boats", "high", src(("ltn_5348347", "Navy USV briefing, Chinese parts banned"), ("ltn_5367353", "NT$28 billion USV budget"), ("ettoday_usv", "1,320 boats"))),
 ("BL2-008", "軍用商規無人機（多軸垂直起降及定翼）採購案",
  "甲、乙、丙、丁、戊五型，含沉浸式、投彈式、小型及中型自殺式、濱海監偵型，滯空7分鐘至2.5小時；全數國內產製或組裝，排除陸製零組件及陸資廠商，複數決標。",
  "uas", "48750", "drones", "high", src(("udn_8987984", "48,750架無人機，5類別"), ("udn_9162977", "國內生產或組裝、排除中國製零組件"))),
 ("BL2-009", "Medium-altitude long-endurance unmanned aircraft for wide-area maritime surveillance, with surface-search radar, electronic support measures and EO/IR",
  "Persistent ISR over the Strait, sonobuoy carriage desirable; two fixed and two mobile ground stations.",
  "uas", "4", "aircraft", "medium", src(("amr_mq9b", "four MALE UAVs with maritime radar, ESM and EO/IR"))),
 ("BL2-010", "Wire-guided 533 mm submarine-launched heavyweight torpedoes for anti-ship and anti-submarine attack",
  "To equip both legacy and indigenous diesel-electric submarines; replacement for ageing German-made torpedoes.",
  "", "46", "torpedoes", "high", src(("tn_4884107", "46 MK 48 torpedoes for current and indigenous submarines"), ("navaltech_mk54", "replace German SUT torpedoes"))),
 ("BL2-011", "324 mm lightweight anti-submarine torpedoes for surface-ship tubes and ASW helicopters",
  "Replace legacy lightweight torpedoes; shallow-water performance required.",
  "naval", "600", "torpedoes", "medium", src(("navaltech_mk54", "600 lightweight torpedoes to replace Mk46"))),
 ("BL2-012", "國造潛艦 integrated combat management system and digital sonar suite (red-zone imported items)",
  "Items Taiwan cannot produce locally; export licences required; integration with the indigenous submarine hull and weapons.",
  "sensors_electronics", "8", "submarines", "high", src(("tn_4152187", "combat system and digital sonar export licences; eight submarines planned"))),
 ("BL2-013", "Depot-level maintenance, repair, overhaul and upgrade for the single-engine fourth-generation fighter fleet",
  "About 200 aircraft in the fleet; shorten repair turnaround and reduce reliance on overseas depots for parts.",
  "aircraft", "200", "aircraft", "high", src(("tn_3838357", "fleet of 210 F-16V"), ("chinapost_f16", "40 aircraft under repair at any time"))),
 ("BL2-014", "Medium-range ground-based air defence fire units launching active-radar-guided interceptors derived from air-to-air missiles",
  "Battle-proven system; integration with existing air-defence network and new long-range radars.",
  "air_defence_missile", "3", "fire units", "high", src(("db_nasams", "three medium-range SAM systems"))),
 ("BL2-015", "海巡署600噸級巡防艦建造案",
  "船體可平時執法、戰時轉換作戰；需高壓水砲、救難設施，預留飛彈發射架；國艦國造。",
  "naval", "12", "vessels", "medium", src(("tn_3747154", "12 600-ton cutters in CGA plan"), ("tn_4500794", "wartime conversion"))),
 ("BL2-016", "5.56公厘及7.62公厘步槍彈暨槍彈底火生產線擴建案",
  "建置全新自動化槍彈底火產線，平時年產5000萬顆、戰時擴產至7000萬顆，解決長期依賴進口底火；外購步槍鋼心彈補足需求。",
  "small_arms_ammunition", "76000000", "rounds", "high", src(("ltn_5316376", "槍彈底火生產線"), ("udn_9232391", "外購槍彈7600萬發"))),
 ("BL2-017", "RDX（海掃更）高能炸藥原物料採購及自製產線擴充案",
  "因應不對稱作戰彈藥需求增加，自製與採購並行，先購170噸，後續編列預算擴大產線。",
  "", "170", "tonnes", "high", src(("ettoday_cl20", "購買170噸海掃更並擴大產線"))),
 ("BL2-018", "30 mm dual-feed chain guns for eight-wheeled infantry fighting vehicle turrets",
  "Armour-piercing and high-explosive rounds; 2,000 m effective range; delivery matched to vehicle production.",
  "", "311", "guns", "medium", src(("nownews_mk44", "311 sets of 30 mm chain guns"))),
 ("BL2-019", "八輪甲車（30公厘機砲型）量產案",
  "八輪傳動、獨立懸吊、可加掛陶瓷裝甲；具反裝甲火力，取代V-150四輪甲車；年產能需達數十輛。",
  "vehicles", "284", "vehicles", "medium", src(("ebc_cm34", "284輛30公厘機砲型"), ("cna_jp_209", "production capacity 72 a year"))),
 ("BL2-020", "Jam-resistant joint tactical data link terminals and gateways exchanging NATO J-series messages between aircraft, ships and ground units",
  "Upgrade from the current lite network; full installation across new foreign-made and indigenous platforms.",
  "sensors_electronics", "", "", "high", src(("tt_link16", "Link 16 acquisition and upgrade"))),
 ("BL2-021", "非地球同步軌道衛星（LEO/MEO）備援通訊網路 — wartime backhaul if undersea cables are cut",
  "Terminals at command posts and outlying islands; ground stations and trained operators; domestic satellite under development.",
  "", "700", "terminal sites", "high", src(("tt_oneweb", "700 sites, LEO and MEO"), ("tn_5951908", "backup internet in event of attack"))),
 ("BL2-022", "Short-range AESA surveillance radar able to detect, classify and track small multirotor drones and swarms near bases and outlying islands",
  "Combine with RF detection and cueing of jammers or interceptors.",
  "counter_uas", "26", "systems", "high", src(("digitimes_tron", "26 anti-drone systems for outlying islands"))),
 ("BL2-023", "Tracked 155 mm self-propelled howitzers with armoured ammunition resupply vehicles and recovery vehicles",
  "Replace the ageing tracked howitzer fleet; guidance kits and standard 155 mm ammunition.",
  "artillery_system", "60", "howitzers", "medium", src(("fwmag", "60 tracked SP howitzers and 60 resupply vehicles"))),
 ("BL2-024", "Fire-and-forget man-portable anti-armour missiles with top-attack mode and lightweight reusable command launch units",
  "Delayed foreign deliveries; wish to add a second source and local assembly.",
  "", "1050", "missiles", "high", src(("fwmag", "1,050 missiles and 70 launch units"), ("tn_4703294", "delivery delays"))),
 ("BL2-025", "Gimballed multi-spectral EO/IR turret with laser designator for long-endurance aircraft",
  "HD colour and mid-wave infrared, target geolocation; must integrate with maritime ISR drones.",
  "sensors_electronics", "4", "turrets", "medium", src(("amr_mq9b", "EO/IR sensors in MALE UAV package"))),
 ("BL2-026", "Airborne electronic support measures suite to detect and locate naval and coastal radar emitters from unmanned aircraft",
  "", "", "4", "suites", "medium", src(("amr_mq9b", "ESM systems in MALE UAV package"))),
 ("BL2-027", "固體火箭發動機推進劑藥柱產能擴充案",
  "配合國造飛彈年產千枚目標，擴充推進劑藥柱澆鑄、發動機火工品產能，確保關鍵原料自主。",
  "energetics", "", "", "high", src(("pts_621661", "missile production 1,000 a year"), ("ettoday_205", "火箭藥柱、發動機火工品"))),
 ("BL2-028", "High-power cylindrical lithium-ion cells and battery packs for small military drones and loitering munitions, from a non-PRC supply chain",
  "High discharge rate, safety, and domestic or allied cell production.",
  "", "", "", "medium", src(("udn_molicel", "drone battery market and non-red supply"), ("udn_9164225", "non-China supply chain demand"))),
 ("BL2-029", "Aerospace-grade carbon fibre and prepreg for UAV airframes, USV hulls and missile casings",
  "Large continuous-fibre composite structures; qualified domestic material supply.",
  "", "", "", "medium", src(("ftnn_composites", "composites for defence and drones"))),
 ("BL2-030", "Depot overhaul and expanded local parts production for the low-bypass turbofan of the indigenous fighter and jet trainer",
  "Raise domestic content above the current level; support 66 new trainers plus the fighter fleet.",
  "aircraft", "", "", "medium", src(("defensemirror_t5", "F124 55 percent domestically produced"), ("militaryleak_t5", "66 trainers"))),
 ("BL2-031", "無人水下載具（UUV）for seabed survey, mine countermeasures and covert coastal ISR",
  "Man-portable and medium classes; long endurance; payload modules for sonar.",
  "", "", "", "medium", src(("dailyasia_seawolf", "unmanned underwater vehicles untapped resource"), ("armyrec_usv2023", "mine detection and ASW unmanned vehicles"))),
 ("BL2-032", "Loitering munition that autonomously searches for and homes on hostile radar emitters",
  "Long loiter, ground launched from canisters; suppression of enemy air-defence radars.",
  "loitering_munition", "", "", "high", src(("digitimes_tadte", "anti-radiation loitering munition in production"))),
 ("BL2-033", "120公厘戰車砲彈國內產製案",
  "配合新購戰車，建立120公厘戰車砲彈充足產能，避免戰時斷供。",
  "", "", "", "high", src(("ltn_5258682", "M1戰車所需的120公厘戰車砲彈"))),
 ("BL2-034", "Ducted-fan vertical-take-off fixed-wing unmanned aircraft for shipborne ISR, operable under GNSS jamming",
  "Launch and recovery from small decks without runway; more than 10 h endurance.",
  "uas", "", "", "medium", src(("udn_8987984", "定翼與垂直起降無人機需求"))),
 ("BL2-035", "Long-range three-dimensional air surveillance radar turnkey systems for the national air-defence network",
  "Solid-state radars with shelters and integration into air-defence command and control.",
  "sensors_electronics", "", "", "high", src(("songelisme", "US$828 million radar turnkey systems"))),
 ("BL2-036", "Navigation 模組 for drones and unmanned boats in GNSS-denied environments (光纖陀螺 / visual positioning)",
  "Must keep position accuracy without GPS; small size, weight and power.",
  "components", "", "", "medium", src(("udn_9018245", "drones flying precisely without GPS"), ("ec_ltn_tadte", "FOG for drones and USVs"))),
 ("BL2-037", "Depot-level maintenance partnership for utility and attack helicopters, including spares for the ageing attack fleet",
  "", "", "", "", "medium", src(("fwmag", "AH-1W spare parts and support"), ("udn_9018245", "helicopter maintenance cooperation"))),
 ("BL2-038", "Pocket-size reconnaissance air vehicles for infantry squads with day and thermal cameras",
  "Under 100 g, over 20 minutes, operates without GNSS inside buildings.",
  "uas", "", "", "low", src(("udn_8987984", "微型無人機 requirements in MND tender"), ("usatoday_hornet4", "nano drones class"))),
 ("BL2-039", "155公厘砲彈發射藥模組裝藥採購案",
  "供應155公厘榴彈砲全射程發射藥模組，國內外並行籌補，建立戰備存量。",
  "energetics", "", "", "high", src(("ltn_5316376", "高能炸藥及彈藥在地生產"), ("eurenco_asap", "modular charges shortage"))),
 ("BL2-040", "中型自殺式無人機國內產製案",
  "軍備局五型商規無人機之中型自殺式，需在台生產，具抗干擾導控與精準打擊能力。",
  "loitering_munition", "", "", "high", src(("udn_8987984", "中型自殺式無人機"))),
 ("BL2-041", "Fuze-well precision guidance kits for standard 155 mm high-explosive projectiles",
  "GPS-guided correction of ballistic shells fired from existing howitzers.",
  "precision_artillery", "4080", "kits", "medium", src(("ml_m109", "precision guidance kits in howitzer package"))),
 ("BL2-042", "戰術型長滯空監偵無人機（定翼）國內量產及維修案",
  "長航時、可搭載任務酬載，國內量產並建立後續維修能量，強化濱海監偵。",
  "uas", "32", "aircraft", "medium", src(("ec_ltn_tadte", "銳鳶2號預計明年量產32架"))),
 ("BL2-043", "Sustainment of ship- and air-launched sea-skimming anti-ship missiles, including active radar seeker repair and spares",
  "", "anti_ship_missile", "", "", "medium", src(("fwmag", "Harpoon support incl. missile radar seeker"))),
]

# ---------------------------------------------------------------- truth
# (requirement_id, partner_id, role, source)
F, L = "foreign", "local"
T = [
 ("BL2-001", "lockheed-martin", F, src(("dsca_himars", "HIMARS with ATACMS and GMLRS"))),
 ("BL2-001", "hanwha-aerospace", F, src(("polygon_k9", "K239 Chunmoo guided rockets and ballistic missile"))),
 ("BL2-001", "ncsist", L, src(("fas_csist", "CSIST produced Kung-feng 6A rockets and artillery fire control"))),
 ("BL2-002", "gd-ots", F, src(("shephard_155lap", "GD-OTS 155mm LAP line"), ("lincoln_gdots", "155mm metal parts plant"))),
 ("BL2-002", "nammo", F, src(("regjeringen_nammo", "new 155mm production line"))),
 ("BL2-002", "rheinmetall", F, src(("shephard_155lap", "Rheinmetall 155mm capability"))),
 ("BL2-002", "poongsan", F, src(("aju_poongsan", "Poongsan 155mm projectiles"))),
 ("BL2-002", "csg", F, src(("latestdef_csg", "CSG 155mm artillery complex"))),
 ("BL2-002", "arsenal-202", L, src(("ltn_5258682", "202廠155公厘砲彈產線"))),
 ("BL2-003", "rtx", F, src(("tn_4526448", "Raytheon Stinger"))),
 ("BL2-003", "mbda", F, src(("aircosmos_mistral", "Mistral 3 MANPADS"))),
 ("BL2-003", "saab", F, src(("letribunal_rbs70", "RBS 70 NG MANPADS"))),
 ("BL2-003", "ncsist", L, src(("tt_20220312", "NCSIST air-defence missile production (could build a short-range IR missile)"))),
 ("BL2-004", "anduril", F, src(("dd_altius", "Altius 600M-V with EO/IR and warhead"))),
 ("BL2-004", "aerovironment", F, src(("dd_altius", "Switchblade 300 anti-armor AUR"))),
 ("BL2-004", "uvision", F, src(("traderfox_uvision", "UVision loitering munition"))),
 ("BL2-004", "ncsist", L, src(("ltn_5348347", "NCSIST 勁蜂 suicide drone"))),
 ("BL2-005", "boeing", F, src(("shephard_hcds", "Boeing Harpoon Coastal Defense System"))),
 ("BL2-005", "ncsist", L, src(("tt_20220312", "NCSIST Hsiung Feng production"), ("tn_4500794", "HF II/III launchers"))),
 ("BL2-006", "rafael", F, src(("sott_dronedome", "Rafael Drone Dome detection and neutralisation"))),
 ("BL2-006", "tron-future", L, src(("tt_tron", "Tron Future army drone countermeasure system"))),
 ("BL2-006", "ncsist", L, src(("tt_tron", "NCSIST remote control drone defence system with jammers"))),
 ("BL2-006", "aidc", L, src(("ec_ltn_tadte", "AIDC anti-drone system tested"))),
 ("BL2-006", "thunder-tiger", L, src(("udn_9172311", "Thunder Tiger counter-drone methods"))),
 ("BL2-007", "leidos", F, src(("ltn_5179493", "Leidos smart unmanned ships with Jong Shyn"))),
 ("BL2-007", "hii", F, src(("mtn_usv", "HII prospective contribution to Taiwan sea drones"))),
 ("BL2-007", "csbc", L, src(("ettoday_usv", "Endeavor Manta attack USV"))),
 ("BL2-007", "lungteh", L, src(("udn_9015147", "Black Tide USV, will bid"))),
 ("BL2-007", "jong-shyn", L, src(("ltn_5179493", "Jong Shyn No.5 USV"))),
 ("BL2-007", "thunder-tiger", L, src(("decktv_seashark", "SeaShark 800 explosive USV"))),
 ("BL2-007", "ncsist", L, src(("ltn_5367353", "NCSIST could be commissioned; Kuai Chi attack USV"))),
 ("BL2-007", "carbon-based-tech", L, src(("tvbs_usv", "Carbon-Based Technology USV demonstrated"))),
 ("BL2-008", "skydio", F, src(("udn_9164225", "Taiwanese firms cooperate with Skydio"), ("dset", "Skydio"))),
 ("BL2-008", "teledyne-flir", F, src(("mil_embedded_skyraider", "R80D SkyRaider small UAS"))),
 ("BL2-008", "thunder-tiger", L, src(("ec_ltn_tadte", "Thunder Tiger to bid on all five types"))),
 ("BL2-008", "circ", L, src(("nownews_drones", "CIRC winner of commercial-grade drone tender"))),
 ("BL2-008", "geosat", L, src(("digitimes_tadte", "Geosat in commercial-grade drone tender"))),
 ("BL2-008", "egat", L, src(("nownews_drones", "Evergreen Aviation winner"))),
 ("BL2-008", "taiwan-uav", L, src(("nownews_drones", "Taiwan UAV winner"))),
 ("BL2-008", "mitac-it", L, src(("nownews_drones", "MiTAC Information Technology winner"))),
 ("BL2-008", "aidc", L, src(("ec_ltn_tadte", "AIDC bids type C"))),
 ("BL2-009", "ga-asi", F, src(("amr_mq9b", "GA-ASI MQ-9B SeaGuardian"))),
 ("BL2-009", "elbit", F, src(("efk_hermes", "Hermes 900 MALE UAS"))),
 ("BL2-009", "iai", F, src(("usts_heron", "Heron 1 MALE UAS"))),
 ("BL2-009", "ncsist", L, src(("db_mq9b", "Teng Yun 2 MALE UAV"))),
 ("BL2-009", "aidc", L, src(("amcham_drone", "large drones remain with NCSIST and AIDC"))),
 ("BL2-010", "lockheed-martin", F, src(("amr_mk48", "Lockheed Martin MK 48 Mod 6 AT"))),
 ("BL2-010", "fincantieri", F, src(("portal_blackshark", "Black Shark heavyweight torpedo, Livorno"))),
 ("BL2-011", "rtx", F, src(("sdf_mk54", "Raytheon MK 54"))),
 ("BL2-011", "fincantieri", F, src(("informare_wass", "WASS MU90"))),
 ("BL2-011", "naval-group", F, src(("seawaves_mu90", "EuroTorp MU90"))),
 ("BL2-011", "thales", F, src(("seawaves_mu90", "EuroTorp MU90"))),
 ("BL2-012", "lockheed-martin", F, src(("tn_4152187", "integrated combat system from Lockheed Martin"))),
 ("BL2-012", "rtx", F, src(("tn_4152187", "digital sonar from Raytheon"))),
 ("BL2-012", "csbc", L, src(("janes_ukexport", "CSBC builds indigenous submarine"))),
 ("BL2-012", "ncsist", L, src(("fas_csist", "CSIST naval sonar systems"))),
 ("BL2-013", "lockheed-martin", F, src(("tn_3838357", "Lockheed Martin OEM for F-16 sustainment"))),
 ("BL2-013", "aidc", L, src(("janes_f16", "AIDC F-16 MRO&U centre"))),
 ("BL2-014", "kongsberg", F, src(("db_nasams", "Kongsberg NASAMS co-developer"))),
 ("BL2-014", "rtx", F, src(("db_nasams", "Raytheon principal contractor for NASAMS"))),
 ("BL2-014", "ncsist", L, src(("tt_20220312", "NCSIST Tien Kung III production"))),
 ("BL2-015", "damen", F, src(("damen_mag", "Stan Patrol vessels for coastguards"))),
 ("BL2-015", "austal", F, src(("adbr_austal", "Austal patrol boats"))),
 ("BL2-015", "jong-shyn", L, src(("tn_4500794", "Jong Shyn builds Anping-class 600-ton"))),
 ("BL2-015", "lungteh", L, src(("udn_9228000", "Lungteh patrol and interceptor craft"))),
 ("BL2-015", "csbc", L, src(("ettoday_csbc", "CSBC naval shipbuilding"))),
 ("BL2-016", "nammo", F, src(("lokalhist_nammo", "Nammo 5.56 mm to 120 mm ammunition"))),
 ("BL2-016", "poongsan", F, src(("aju_poongsan", "Poongsan produces bullets and all ammunition types"))),
 ("BL2-016", "arsenal-205", L, src(("ltn_5316376", "205廠槍彈底火生產線"), ("udn_9232391", "205廠步槍彈產能"))),
 ("BL2-017", "chemring", F, src(("sharecast_chemring", "Chemring Nobel RDX"))),
 ("BL2-017", "eurenco", F, src(("eurenco_asap", "Eurenco explosives"))),
 ("BL2-017", "arsenal-205", L, src(("ettoday_cl20", "205廠RDX產線"))),
 ("BL2-017", "ncsist", L, src(("ettoday_cl20", "NCSIST CL-20 high explosive with domestic chemical plants"))),
 ("BL2-018", "northrop-grumman", F, src(("nownews_mk44", "MK44 from Alliant Techsystems Operations"), ("ebc_cm34", "Orbital ATK MK44"))),
 ("BL2-018", "arsenal-205", L, src(("setn_30mm", "205廠供製30公厘機砲"))),
 ("BL2-018", "ncsist", L, src(("setn_30mm", "中科院砲塔與機砲整合"))),
 ("BL2-019", "patria", F, src(("db_patria_jsw", "Patria AMV XP 8x8"))),
 ("BL2-019", "japan-steel-works", F, src(("db_patria_jsw", "JSW licence production of AMV XP"))),
 ("BL2-019", "mhi", F, src(("wp_amv", "MHI MAV 8x8 contender"))),
 ("BL2-019", "arsenal-209", L, src(("voa_209", "209廠雲豹生產線"))),
 ("BL2-020", "l3harris", F, src(("federaltimes_l3h", "L3Harris Link 16 MIDS terminals"))),
 ("BL2-020", "viasat", F, src(("ausdef_mids", "ViaSat MIDS terminals"))),
 ("BL2-020", "ncsist", L, src(("fas_csist", "CSIST electronics division"), U)),
 ("BL2-021", "eutelsat", F, src(("tt_oneweb", "Eutelsat OneWeb LEO service"))),
 ("BL2-021", "chunghwa-telecom", L, src(("tt_oneweb", "Chunghwa Telecom satellite resilience network"))),
 ("BL2-022", "rafael", F, src(("sott_dronedome", "Drone Dome detection of micro and mini UAVs"))),
 ("BL2-022", "tron-future", L, src(("cw_tron", "T.Radar Pro AESA drone radar"))),
 ("BL2-023", "bae-systems", F, src(("zona_m109a7", "M109A7 by BAE Systems"))),
 ("BL2-023", "hanwha-aerospace", F, src(("polygon_k9", "K9 self-propelled howitzer"))),
 ("BL2-024", "lockheed-martin", F, src(("fwmag", "Javelin for Taiwan"), U)),
 ("BL2-024", "rtx", F, src(("fwmag", "Javelin for Taiwan"), U)),
 ("BL2-024", "rafael", F, src(("analisidifesa_spike", "Spike LR2"))),
 ("BL2-024", "diehl", F, src(("analisidifesa_spike", "Eurospike production in Germany"))),
 ("BL2-024", "rheinmetall", F, src(("analisidifesa_spike", "Eurospike partner"))),
 ("BL2-024", "ncsist", L, src(("tt_20220312", "NCSIST guided missile production base"), U)),
 ("BL2-025", "l3harris", F, src(("amr_mq9b", "L3Harris Wescam MX-20"))),
 ("BL2-025", "teledyne-flir", F, src(("explica_flir", "FLIR thermal cameras"))),
 ("BL2-025", "ncsist", L, src(("ihls_albatross", "NCSIST EO/IR payloads on Albatross"))),
 ("BL2-026", "leonardo", F, src(("amr_mq9b", "Leonardo SAGE 750 ESM"))),
 ("BL2-026", "ncsist", L, src(("fas_csist", "CSIST naval electronic warfare systems"))),
 ("BL2-027", "nammo", F, src(("regjeringen_nammo", "solid rocket motors for AMRAAM"), ("tu_nammo", "Sidewinder motors"))),
 ("BL2-027", "ncsist", L, src(("ettoday_205", "中科院化學研究所火箭藥柱"))),
 ("BL2-028", "amprius", F, src(("udn_molicel", "Amprius high-energy cells for drones"))),
 ("BL2-028", "kulr", F, src(("udn_molicel", "KULR ONE Air drone battery system"))),
 ("BL2-028", "e-one-moli", L, src(("udn_molicel", "Molicel high-power cells for drones"))),
 ("BL2-029", "toray", F, src(("ir_toray", "Toray carbon fiber and prepreg for aerospace and defense"))),
 ("BL2-029", "hexcel", F, src(("globalpi_hexcel", "Hexcel aerospace-grade carbon fiber"))),
 ("BL2-029", "formosa-plastics", L, src(("ntu_formosa", "Formosa Plastics carbon fibre"))),
 ("BL2-029", "carbon-based-tech", L, src(("ftnn_composites", "碳基 composites for military and drones"))),
 ("BL2-029", "swancor", L, src(("ftnn_composites", "上緯 composites"))),
 ("BL2-029", "aidc", L, src(("jec_taiwan", "AIDC composite centre"))),
 ("BL2-030", "honeywell", F, src(("defensemirror_t5", "Honeywell/ITEC F124"))),
 ("BL2-030", "aidc", L, src(("wiki_t5", "ITEC Honeywell-AIDC assembles engines in Taiwan"))),
 ("BL2-031", "hii", F, src(("mtn_remus620", "REMUS 620 mine countermeasures and ISR"))),
 ("BL2-031", "kongsberg", F, src(("pronews_hugin", "HUGIN AUV"))),
 ("BL2-031", "thunder-tiger", L, src(("dailyasia_seawolf", "Seawolf 400 unmanned submarine"))),
 ("BL2-032", "iai", F, src(("uproxx_harop", "Harop anti-radar loitering munition"))),
 ("BL2-032", "ncsist", L, src(("digitimes_tadte", "Chien Hsiang anti-radiation loitering munition"))),
 ("BL2-033", "nammo", F, src(("regjeringen_nammo", "120 mm shells for main battle tanks"))),
 ("BL2-033", "poongsan", F, src(("cpb_poongsan", "120 mm tank shells for K2"))),
 ("BL2-033", "arsenal-202", L, src(("ltn_5258682", "新產線包括120公厘戰車砲彈"), ("ettoday_202", "戰車彈產線"))),
 ("BL2-034", "shield-ai", F, src(("gamereactor_vbat", "V-BAT VTOL resisting GPS jamming"))),
 ("BL2-034", "uht-unitech", L, src(("digitimes_defense", "Cougar VTOL UAV"))),
 ("BL2-034", "fong-jaw", L, src(("digitimes_defense", "Cougar VTOL UAV"))),
 ("BL2-034", "circ", L, src(("digitimes_aero", "CIRC HVTOL drone"))),
 ("BL2-034", "taiwan-uav", L, src(("amcham_drone", "Taiwan UAV shifted to VTOL"))),
 ("BL2-035", "lockheed-martin", F, src(("songelisme", "AN/TPS-77 radar"), U)),
 ("BL2-035", "northrop-grumman", F, src(("songelisme", "AN/TPS-78 radar"), U)),
 ("BL2-035", "ncsist", L, src(("fas_csist", "CSIST electronics research division"), U)),
 ("BL2-036", "maxar", F, src(("udn_9018245", "Maxar visual positioning without GPS"))),
 ("BL2-036", "air-asia", L, src(("ec_ltn_tadte", "Air Asia fibre-optic gyro for drones and USVs"))),
 ("BL2-036", "aidc", L, src(("udn_9018245", "AIDC visual positioning with Maxar"))),
 ("BL2-037", "bell", F, src(("udn_9018245", "Bell helicopter maintenance cooperation"), ("fwmag", "AH-1W support"))),
 ("BL2-037", "aidc", L, src(("udn_9018245", "AIDC renewed helicopter maintenance with Bell"))),
 ("BL2-038", "teledyne-flir", F, src(("usatoday_hornet4", "Black Hornet 4 nano-drone"))),
 ("BL2-038", "thunder-tiger", L, src(("ec_ltn_tadte", "Thunder Tiger monthly drone output; small drones"))),
 ("BL2-039", "eurenco", F, src(("eurenco_asap", "Eurenco modular charges"))),
 ("BL2-039", "rheinmetall", F, src(("news24_eurenco", "powder from German suppliers"), U)),
 ("BL2-039", "arsenal-205", L, src(("ettoday_cl20", "205廠各式彈藥、火炸藥需求"))),
 ("BL2-040", "uvision", F, src(("traderfox_uvision", "UVision loitering munition"))),
 ("BL2-040", "anduril", F, src(("dd_altius", "Altius loitering munition"))),
 ("BL2-040", "thunder-tiger", L, src(("ec_ltn_tadte", "Thunder Tiger bids types A, C, D"))),
 ("BL2-040", "aidc", L, src(("ec_ltn_tadte", "AIDC bids type C"))),
 ("BL2-040", "ncsist", L, src(("ltn_5348347", "NCSIST 勁蜂 suicide drone"))),
 ("BL2-041", "northrop-grumman", F, src(("ml_m109", "multi-option PGK"), U)),
 ("BL2-042", "elbit", F, src(("jpost_skylark", "Elbit tactical UAVs"), ("efk_hermes", "Hermes"))),
 ("BL2-042", "baykar", F, src(("gzt_baykar", "Bayraktar TB2"))),
 ("BL2-042", "air-asia", L, src(("ec_ltn_tadte", "亞航量產銳鳶2號32架並負責維修"))),
 ("BL2-042", "ncsist", L, src(("ec_ltn_tadte", "中科院銳鳶2號"))),
 ("BL2-042", "thunder-tiger", L, src(("yahoo_tt_blue", "Thunder Tiger medium and large military drones"))),
 ("BL2-043", "boeing", F, src(("shephard_hcds", "Boeing Harpoon Block II"), ("fwmag", "Harpoon support incl. radar seeker"))),
 ("BL2-043", "ncsist", L, src(("tt_20220312", "NCSIST anti-ship missile production"))),
]

HEADERS = {
 "partners.csv": ["partner_id", "name", "country", "kind", "description", "source"],
 "capabilities.csv": ["partner_id", "capability", "category", "system", "source"],
 "codevelopers.csv": ["system", "partner_id", "source"],
 "countries.csv": ["country", "posture", "note", "source"],
 "requirements.csv": ["requirement_id", "title", "description", "category", "quantity", "unit", "priority", "source"],
 "truth.csv": ["requirement_id", "partner_id", "role", "source"],
}

def write(name, rows):
    fd, tmp = tempfile.mkstemp(dir=HERE, prefix=".tmp_", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADERS[name])
        w.writerows(rows)
    os.replace(tmp, os.path.join(HERE, name))

def main():
    write("partners.csv", PARTNERS)
    write("capabilities.csv", C)
    write("codevelopers.csv", CODEV)
    write("countries.csv", COUNTRIES)
    write("requirements.csv", R)
    write("truth.csv", T)
    print(f"partners={len(PARTNERS)} capabilities={len(C)} codevelopers={len(CODEV)} "
          f"countries={len(COUNTRIES)} requirements={len(R)} truth={len(T)}")

if __name__ == "__main__":
    main()
